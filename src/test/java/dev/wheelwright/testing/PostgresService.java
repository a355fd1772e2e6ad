package dev.wheelwright.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The PostgreSQL server of the tests, one per JVM: a Testcontainers container when a Docker engine has a
 * {@code postgres} image (and can run it without pulling anything), otherwise the server at
 * {@code WHEELWRIGHT_TEST_PG_URL} / {@code _USER} / {@code _PASSWORD} (defaults: Debian's PostgreSQL on loopback,
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, role {@code wheelwright} with password {@code wheelwright}, which
 * {@code scripts/test-prerequisites} installs, starts and provisions as root). Neither reachable: the test fails with
 * one line saying how to get one; it never skips. Each test class takes a database of its own
 * ({@link #newDatabase()}), dropped when it closes.
 */
public final class PostgresService {
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String DEFAULT_USER = "wheelwright";
    private static final String DEFAULT_PASSWORD = "wheelwright";
    private static final String HOW_TO_GET_ONE = "run scripts/test-prerequisites as root (installs, starts and"
            + " provisions Debian's postgresql), or set WHEELWRIGHT_TEST_PG_URL, _USER and _PASSWORD to a server where"
            + " the user may CREATE DATABASE, or give Docker a postgres image";

    private static PostgresService instance;

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String origin;

    private PostgresService(String adminUrl, String user, String password, String origin) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.origin = origin;
    }

    /** The server of this JVM, found (or started) on first use. */
    public static synchronized PostgresService get() {
        if (instance == null) {
            instance = find(System.getenv());
        }
        return instance;
    }

    /** Where the server came from, for messages: "Testcontainers postgres:16" or the loopback URL. */
    public String origin() {
        return origin;
    }

    /** A new, empty database (random name) on the server; closing it drops it. */
    public TestDatabase newDatabase() {
        return newDatabase("");
    }

    /**
     * A new, empty database made with {@code options} after {@code CREATE DATABASE name} (e.g. a locale other than
     * the server's default); closing it drops it.
     */
    public TestDatabase newDatabase(String options) {
        String name = "ww_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " " + options);
        } catch (SQLException e) {
            throw new AssertionError("cannot create a test database on " + origin + ": " + e.getMessage(), e);
        }
        return new TestDatabase(withDatabase(adminUrl, name), name);
    }

    /** A database of one test class: its URL, the server's user and password, and a way to empty it. */
    public final class TestDatabase implements AutoCloseable {
        private final String url;
        private final String name;

        private TestDatabase(String url, String name) {
            this.url = url;
            this.name = name;
        }

        public String url() {
            return url;
        }

        public String user() {
            return user;
        }

        public String password() {
            return password;
        }

        /**
         * Deletes every row of every table but the schema's own (Flyway's history, the revision row), so the next
         * store opened on it starts as empty as on a new database, without the seconds a new database costs.
         */
        public void empty() {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                List<String> tables = new ArrayList<>();
                try (PreparedStatement query = c.prepareStatement("""
                                SELECT table_name FROM information_schema.tables
                                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                                    AND table_name NOT IN ('flyway_schema_history', 'metadata_revision')""");
                        ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        tables.add('"' + rows.getString(1) + '"');
                    }
                }
                if (!tables.isEmpty()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
                    }
                }
            } catch (SQLException e) {
                throw new AssertionError("cannot empty test database " + name + ": " + e.getMessage(), e);
            }
        }

        /** Runs a query and answers its first column, one string per row (assertions on the schema). */
        public List<String> query(String sql) {
            try (Connection c = DriverManager.getConnection(url, user, password);
                    PreparedStatement query = c.prepareStatement(sql);
                    ResultSet rows = query.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            } catch (SQLException e) {
                throw new AssertionError("query failed on " + name + ": " + e.getMessage(), e);
            }
        }

        /** Drops the database, ending the sessions a test left open. */
        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new AssertionError("cannot drop test database " + name + ": " + e.getMessage(), e);
            }
        }
    }

    private static PostgresService find(Map<String, String> env) {
        String url = env.getOrDefault("WHEELWRIGHT_TEST_PG_URL", "");
        String problemWithDocker = "";
        if (url.isEmpty()) {
            Optional<String> image = localPostgresImage(env);
            if (image.isPresent()) {
                try {
                    return container(image.get());
                } catch (RuntimeException e) { // e.g. the engine cannot start it: the loopback server may still do
                    problemWithDocker = "; the Docker image " + image.get() + " did not start: " + e.getMessage();
                }
            }
            url = DEFAULT_URL;
        }
        String user = env.getOrDefault("WHEELWRIGHT_TEST_PG_USER", DEFAULT_USER);
        String password = env.getOrDefault("WHEELWRIGHT_TEST_PG_PASSWORD", DEFAULT_PASSWORD);
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not reachable at " + url + " as " + user + " (" + e.getMessage()
                    + problemWithDocker + "): " + HOW_TO_GET_ONE);
        }
        return new PostgresService(url, user, password, url);
    }

    /**
     * A {@code postgres} image the Docker engine already has, when the engine answers and Testcontainers can run it
     * without pulling (its resource reaper's image present, or the reaper turned off): there is no registry here.
     */
    private static Optional<String> localPostgresImage(Map<String, String> env) {
        List<String> images = dockerImages();
        boolean reaper = images.stream().anyMatch(i -> i.startsWith("testcontainers/ryuk:"))
                || "true".equalsIgnoreCase(env.getOrDefault("TESTCONTAINERS_RYUK_DISABLED", ""));
        if (!reaper) {
            return Optional.empty();
        }
        return images.stream()
                .filter(i -> i.startsWith("postgres:") && !i.endsWith(":<none>"))
                .findFirst();
    }

    /** {@code repository:tag} of every local image, empty when there is no Docker engine. */
    private static List<String> dockerImages() {
        try {
            Process p = new ProcessBuilder("docker", "image", "ls", "--format", "{{.Repository}}:{{.Tag}}")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return List.of();
            }
            return out.lines().map(l -> l.strip().toLowerCase(Locale.ROOT)).toList();
        } catch (IOException e) {
            return List.of(); // no docker command
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook, the reaper, or both
    private static PostgresService container(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(
                        DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
                .withUsername(DEFAULT_USER)
                .withPassword(DEFAULT_PASSWORD)
                .withDatabaseName("postgres");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "postgres-container-stop"));
        return new PostgresService(container.getJdbcUrl(), DEFAULT_USER, DEFAULT_PASSWORD, "Testcontainers " + image);
    }

    /** {@code jdbc:postgresql://host:port/other?params} becomes the same URL naming {@code database}. */
    private static String withDatabase(String url, String database) {
        int hosts = url.indexOf("//") + 2;
        int slash = url.indexOf('/', hosts);
        int query = url.indexOf('?', hosts);
        String params = query < 0 ? "" : url.substring(query);
        String base = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
        return base + "/" + database + params;
    }
}

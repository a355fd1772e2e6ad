package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a database schema up to date from numbered SQL resources ({@code V001__init.sql}, {@code V002__...}),
 * listed in order in the location's {@code index.txt} because a classpath directory cannot be listed inside a jar.
 * Each migration runs in its own write transaction, together with its row in {@code schema_version}, so it is
 * applied whole or not at all, exactly once even when several processes start at the same time. Statements in a
 * migration file end with a semicolon at the end of a line; lines starting with {@code --} are comments.
 */
final class Migrations {
    static final String DEFAULT_LOCATION = "db/migration";
    private static final Pattern FILE_NAME = Pattern.compile("V(\\d{3,})__[A-Za-z0-9_]+\\.sql");
    private static final Pattern STATEMENT_END = Pattern.compile(";[ \\t]*(?:\\r?\\n|$)");

    /** One schema step. */
    record Migration(int version, String name, List<String> statements) {}

    private final SqlDialect dialect;
    private final String location;

    Migrations(SqlDialect dialect) {
        this(dialect, DEFAULT_LOCATION);
    }

    Migrations(SqlDialect dialect, String location) {
        this.dialect = Objects.requireNonNull(dialect);
        this.location = Objects.requireNonNull(location);
    }

    /** Applies every migration not yet recorded, in version order; returns how many it applied. */
    int apply(Connection connection) throws SQLException {
        List<Migration> migrations = available();
        inWriteTransaction(connection, () -> {
            try (PreparedStatement create = connection.prepareStatement("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                        version INTEGER PRIMARY KEY,
                        name TEXT NOT NULL
                    )""")) {
                create.execute();
            }
            return null;
        });
        int latest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
        int applied = 0;
        for (Migration migration : migrations) {
            boolean ran = inWriteTransaction(connection, () -> {
                int current = currentVersion(connection);
                if (current > latest) {
                    throw new StorageException("the database schema (version " + current
                            + ") is newer than this Wheelwright supports (version " + latest + ")");
                }
                if (isApplied(connection, migration.version())) {
                    return false; // recorded earlier, or by another process that got the lock first
                }
                for (String sql : migration.statements()) {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        statement.execute();
                    }
                }
                try (PreparedStatement record =
                        connection.prepareStatement("INSERT INTO schema_version (version, name) VALUES (?, ?)")) {
                    record.setInt(1, migration.version());
                    record.setString(2, migration.name());
                    record.executeUpdate();
                }
                return true;
            });
            if (ran) {
                applied++;
            }
        }
        return applied;
    }

    /** The migrations the index lists, parsed, in version order. */
    List<Migration> available() {
        List<Migration> migrations = new ArrayList<>();
        for (String line : resource("index.txt").split("\\R")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Matcher matcher = FILE_NAME.matcher(name);
            if (!matcher.matches()) {
                throw new StorageException("bad migration file name in " + location + "/index.txt: " + name);
            }
            int version = Integer.parseInt(matcher.group(1));
            if (!migrations.isEmpty() && migrations.get(migrations.size() - 1).version() >= version) {
                throw new StorageException("migrations out of order in " + location + "/index.txt at " + name);
            }
            migrations.add(new Migration(version, name, statements(resource(name))));
        }
        return List.copyOf(migrations);
    }

    static List<String> statements(String script) {
        StringBuilder withoutComments = new StringBuilder();
        for (String line : script.split("\\R")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        return Arrays.stream(STATEMENT_END.split(withoutComments))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT MAX(version) FROM schema_version");
                ResultSet rows = query.executeQuery()) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static boolean isApplied(Connection connection, int version) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM schema_version WHERE version = ?")) {
            query.setInt(1, version);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private String resource(String name) {
        String path = location + "/" + name;
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new StorageException("missing migration resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot read migration resource " + path, e);
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws SQLException;
    }

    private <T> T inWriteTransaction(Connection connection, Step<T> step) throws SQLException {
        dialect.beginWrite(connection);
        try {
            T result = step.run();
            dialect.commit(connection);
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                dialect.rollback(connection);
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }
}

package dev.wheelwright.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes a database exactly as Wheelwright's earlier, hand-written migration runner ({@code storage/jdbc/Migrations}
 * up to commit c42677d, replaced by Flyway) left it: the session settings of its connections, its
 * {@code schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL)} table, created in a transaction of its
 * own, then each script from {@code db/migration}, split into statements by its rules (lines starting with
 * {@code --} dropped, a statement ends with a semicolon at the end of a line), run in one {@code BEGIN IMMEDIATE}
 * transaction together with its {@code schema_version} row.
 */
final class LegacyDatabase {
    /** The scripts the earlier runner's {@code index.txt} listed, in order. */
    static final List<String> SCRIPTS = List.of("V001__init.sql", "V002__builds.sql", "V004__upstream_cache.sql");

    private static final Pattern STATEMENT_END = Pattern.compile(";[ \\t]*(?:\\r?\\n|$)");

    private LegacyDatabase() {}

    /** Creates {@code db} with the first {@code scripts} of {@link #SCRIPTS} applied; returns an open connection. */
    static Connection create(Path db, int scripts) throws SQLException, IOException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        SqliteDialect.configure(c);
        inTransaction(
                c,
                "CREATE TABLE IF NOT EXISTS schema_version (\n"
                        + "    version INTEGER PRIMARY KEY,\n"
                        + "    name TEXT NOT NULL\n"
                        + ")");
        for (String script : SCRIPTS.subList(0, scripts)) {
            execute(c, "BEGIN IMMEDIATE");
            for (String sql : statements(resource("db/migration/" + script))) {
                execute(c, sql);
            }
            try (PreparedStatement record =
                    c.prepareStatement("INSERT INTO schema_version (version, name) VALUES (?, ?)")) {
                record.setInt(1, Integer.parseInt(script.substring(1, script.indexOf("__"))));
                record.setString(2, script);
                record.executeUpdate();
            }
            execute(c, "COMMIT");
        }
        return c;
    }

    /** Runs statements in one write transaction, as the earlier code wrote rows. */
    static void inTransaction(Connection c, String... sql) throws SQLException {
        execute(c, "BEGIN IMMEDIATE");
        for (String statement : sql) {
            execute(c, statement);
        }
        execute(c, "COMMIT");
    }

    private static List<String> statements(String script) {
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

    private static void execute(Connection c, String sql) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.execute();
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = LegacyDatabase.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

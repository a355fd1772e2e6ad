package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The migration scripts this build ships, each with the checksum Flyway computes for it, listed in {@link #INDEX}
 * ({@code location version script checksum}, tab-separated; {@code ShippedMigrationsTest} compares it with what
 * Flyway resolves, so a script added or edited without its line fails the build).
 *
 * <p>It answers one question without starting Flyway: does the schema history already record every shipped script
 * of some locations, each with its shipped checksum, and nothing else? Then Flyway would validate and find nothing to
 * do, and a start (or a {@code /readyz}) can skip its classpath scan and its ~400 classes. Any other history
 * (a fresh database, a failed or missing row, an edited script, a newer schema, a location not in the index) is
 * Flyway's to handle, with its own messages.
 */
final class ShippedMigrations {
    static final String INDEX = "db/shipped-migrations.tsv";

    /** One script: its classpath folder, its version as written in its name ({@code 001}), its name, its checksum. */
    record Script(String location, String version, String script, int checksum) {}

    private final List<Script> scripts;

    private ShippedMigrations(List<Script> scripts) {
        this.scripts = List.copyOf(scripts);
    }

    /** The index on the classpath. */
    static ShippedMigrations load() {
        InputStream in = ShippedMigrations.class.getClassLoader().getResourceAsStream(INDEX);
        if (in == null) {
            throw new StorageException("the migration index " + INDEX + " is missing from this build");
        }
        List<Script> scripts = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                if (fields.length != 4) {
                    throw new StorageException("the migration index " + INDEX + " has a malformed line: " + line);
                }
                scripts.add(new Script(fields[0], fields[1], fields[2], Integer.parseInt(fields[3])));
            }
        } catch (IOException | NumberFormatException e) {
            throw new StorageException("cannot read the migration index " + INDEX + ": " + e.getMessage(), e);
        }
        return new ShippedMigrations(scripts);
    }

    List<Script> scripts() {
        return scripts;
    }

    /**
     * Whether the history table of {@code database} records exactly the shipped scripts of {@code locations}: each
     * applied successfully with its shipped checksum, or below the version of a single {@code BASELINE} row, and no
     * other row. False for any other history, and for a database without the table; an error only when the database
     * cannot be read.
     */
    boolean allApplied(DataSource database, List<String> locations) throws SQLException {
        List<Script> expected = new ArrayList<>();
        for (String location : locations) {
            List<Script> at =
                    scripts.stream().filter(s -> s.location().equals(location)).toList();
            if (at.isEmpty()) {
                return false; // a folder the index does not cover (tests' extra scripts): Flyway resolves it
            }
            expected.addAll(at);
        }
        try (Connection c = database.getConnection()) {
            try (PreparedStatement query = c.prepareStatement(
                            "SELECT type, version, script, checksum, success FROM " + FlywaySchema.HISTORY_TABLE);
                    ResultSet rows = query.executeQuery()) {
                return matches(rows, expected);
            } catch (SQLException e) {
                if (!hasTable(c, FlywaySchema.HISTORY_TABLE)) {
                    return false; // a new database (asked only now: the metadata query costs more than the read)
                }
                throw e;
            }
        }
    }

    private static boolean matches(ResultSet rows, List<Script> expected) throws SQLException {
        MigrationVersion baseline = null;
        boolean[] applied = new boolean[expected.size()];
        while (rows.next()) {
            String type = rows.getString(1);
            String version = rows.getString(2);
            String script = rows.getString(3);
            int checksum = rows.getInt(4);
            boolean noChecksum = rows.wasNull();
            if (!rows.getBoolean(5) || version == null) {
                return false; // a failed migration, or a row of a kind Flyway records without a version
            }
            if (type.equals("BASELINE") && baseline == null) {
                baseline = MigrationVersion.fromVersion(version);
                continue;
            }
            int row = noChecksum || !type.equals("SQL") ? -1 : indexOf(expected, version, script, checksum);
            if (row < 0 || applied[row]) {
                return false;
            }
            applied[row] = true;
        }
        for (int i = 0; i < applied.length; i++) {
            boolean belowBaseline = baseline != null
                    && MigrationVersion.fromVersion(expected.get(i).version()).compareTo(baseline) <= 0;
            if (!applied[i] && !belowBaseline) {
                return false;
            }
        }
        return true;
    }

    /** The position of the script with this version, name and checksum in {@code scripts}, or -1. */
    private static int indexOf(List<Script> scripts, String version, String script, int checksum) {
        for (int i = 0; i < scripts.size(); i++) {
            Script s = scripts.get(i);
            if (s.version().equals(version) && s.script().equals(script) && s.checksum() == checksum) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code name} is a table of the connection's own schema (a PostgreSQL database may hold others'). */
    static boolean hasTable(Connection c, String name) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet tables = meta.getTables(null, c.getSchema(), name, new String[] {"TABLE"})) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }
    }
}

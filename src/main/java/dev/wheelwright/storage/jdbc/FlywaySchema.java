package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Brings a database schema up to date with Flyway, from the versioned SQL scripts on the classpath
 * ({@code db/migration/V001__init.sql}, {@code V002__builds.sql}, ...), recording them in Flyway's
 * {@code flyway_schema_history} table. Each script runs in its own transaction with its history row.
 *
 * <p>Upgrading in place: Wheelwright's earlier migration runner recorded the same scripts in a table
 * {@code schema_version (version, name)}, always a prefix of the script list. A database that has that table and
 * no Flyway history is baselined at its highest recorded version: Flyway records the baseline and does not run
 * those scripts again, and applies only the later ones. {@code schema_version} is left as it was.
 *
 * <p>A start whose history already records exactly the scripts of this build ({@link ShippedMigrations}) does not
 * start Flyway at all: it would validate the same rows and find nothing to do.
 *
 * <p>A database whose schema is newer than the scripts known here is refused with a {@link StorageException}.
 * Several processes may open one database at once: Flyway does not lock SQLite, so the dialect's connections begin
 * every Flyway transaction holding the write lock, and a process that waited finds the work done.
 */
final class FlywaySchema {
    static final String DEFAULT_LOCATION = "db/migration";
    static final String LEGACY_TABLE = "schema_version";
    static final String HISTORY_TABLE = "flyway_schema_history";
    static final String LEGACY_BASELINE = "schema_version of the earlier runner";

    /** The scripts of this build with their checksums: a start whose history records them all skips Flyway. */
    private static final ShippedMigrations SHIPPED = ShippedMigrations.load();

    private FlywaySchema() {}

    /**
     * Applies every pending migration from {@link #DEFAULT_LOCATION} and {@code extraLocations} (classpath folders:
     * the dialect's own, tests'), adopting a database of the earlier runner first.
     */
    static void bringUpToDate(DataSource database, List<String> extraLocations) throws SQLException {
        if (SHIPPED.allApplied(database, folders(extraLocations))) {
            return; // Flyway would validate the same rows and find nothing pending
        }
        Optional<Integer> legacy = legacyVersion(database);
        Flyway flyway = Flyway.configure(FlywaySchema.class.getClassLoader())
                .dataSource(database)
                .locations(classpathLocations(extraLocations))
                .table(HISTORY_TABLE)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                // an applied version this Wheelwright does not have fails validation (Flyway ignores them by default)
                .ignoreMigrationPatterns(new String[0])
                .cleanDisabled(true)
                .baselineVersion(String.valueOf(legacy.orElse(1)))
                .baselineDescription(LEGACY_BASELINE)
                .load();
        try {
            if (legacy.isPresent()) {
                refuseNewer(MigrationVersion.fromVersion(legacy.get().toString()), latestKnown(flyway.info()));
                flyway.baseline(); // a concurrent opener may have baselined already: then this skips
            }
            // One pass on every start: migrate validates what is applied and applies what is pending. Flyway's
            // info() costs a second scan of the classpath, so it is asked only to explain a failure.
            flyway.migrate();
        } catch (FlywayException e) {
            refuseNewerThanKnown(flyway);
            throw new StorageException("cannot bring the database schema up to date: " + e.getMessage(), e);
        }
    }

    /** Throws the plain "newer than this Wheelwright supports" refusal when that is why Flyway failed. */
    private static void refuseNewerThanKnown(Flyway flyway) {
        MigrationInfoService info;
        try {
            info = flyway.info();
        } catch (FlywayException unreadable) {
            return; // the history cannot be read either: Flyway's own message says why
        }
        MigrationInfo current = info.current();
        if (current != null && current.getVersion() != null) {
            refuseNewer(current.getVersion(), latestKnown(info));
        }
    }

    /** The highest version of the scripts this Wheelwright has. */
    private static MigrationVersion latestKnown(MigrationInfoService info) {
        return Arrays.stream(info.all())
                .filter(m -> m.getState().isResolved() && m.getVersion() != null)
                .map(MigrationInfo::getVersion)
                .max(MigrationVersion::compareTo)
                .orElse(MigrationVersion.EMPTY);
    }

    /** How many migrations of {@link #DEFAULT_LOCATION} and {@code extraLocations} the database still lacks. */
    static int pending(DataSource database, List<String> extraLocations) {
        try {
            if (SHIPPED.allApplied(database, folders(extraLocations))) {
                return 0; // one query of the history, where Flyway's info() scans the classpath
            }
        } catch (SQLException e) {
            throw new StorageException("cannot read the schema history: " + e.getMessage(), e);
        }
        try {
            return Flyway.configure(FlywaySchema.class.getClassLoader())
                    .dataSource(database)
                    .locations(classpathLocations(extraLocations))
                    .table(HISTORY_TABLE)
                    .load()
                    .info()
                    .pending()
                    .length;
        } catch (FlywayException e) {
            throw new StorageException("cannot read the schema history: " + e.getMessage(), e);
        }
    }

    /** {@link #DEFAULT_LOCATION}, then {@code extraLocations}: classpath folders. */
    private static List<String> folders(List<String> extraLocations) {
        List<String> folders = new ArrayList<>();
        folders.add(DEFAULT_LOCATION);
        folders.addAll(extraLocations);
        return folders;
    }

    private static String[] classpathLocations(List<String> extraLocations) {
        return folders(extraLocations).stream().map(f -> "classpath:" + f).toArray(String[]::new);
    }

    private static void refuseNewer(MigrationVersion current, MigrationVersion latest) {
        if (current.compareTo(latest) > 0) {
            throw new StorageException("the database schema (version " + current + ") is newer than this Wheelwright"
                    + " supports (version " + latest + ")");
        }
    }

    /**
     * The highest version the earlier runner recorded (0 when it recorded none), when it made this database and
     * Flyway has not adopted it.
     */
    private static Optional<Integer> legacyVersion(DataSource database) throws SQLException {
        try (Connection c = database.getConnection()) {
            if (ShippedMigrations.hasTable(c, HISTORY_TABLE) || !ShippedMigrations.hasTable(c, LEGACY_TABLE)) {
                return Optional.empty();
            }
            try (PreparedStatement query = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM " + LEGACY_TABLE);
                    ResultSet rows = query.executeQuery()) {
                return Optional.of(rows.next() ? rows.getInt(1) : 0); // 0: it stopped before its first script
            }
        }
    }
}

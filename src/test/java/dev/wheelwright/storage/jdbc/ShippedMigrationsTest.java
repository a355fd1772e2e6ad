package dev.wheelwright.storage.jdbc;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.name;
import static dev.wheelwright.storage.StorageFixtures.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.storage.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The index of shipped scripts against what Flyway resolves, and the history it accepts as complete: anything but
 * exactly the shipped scripts leaves the start to Flyway.
 */
class ShippedMigrationsTest {
    private static final List<String> SQLITE = List.of(FlywaySchema.DEFAULT_LOCATION, "db/vendor/sqlite");

    @TempDir
    Path dir;

    @Test
    void the_index_lists_every_shipped_script_with_the_checksum_flyway_computes() {
        List<String> resolved = new ArrayList<>();
        for (String location : List.of(FlywaySchema.DEFAULT_LOCATION, "db/vendor/sqlite", "db/vendor/postgresql")) {
            Flyway flyway = Flyway.configure(getClass().getClassLoader())
                    .dataSource(dataSource(dir.resolve("resolve.db")))
                    .locations("classpath:" + location)
                    .failOnMissingLocations(true)
                    .load();
            for (MigrationInfo m : flyway.info().all()) {
                resolved.add(String.join(
                        "\t",
                        location,
                        m.getVersion().getVersion(),
                        m.getScript(),
                        m.getChecksum().toString()));
            }
        }
        List<String> indexed = ShippedMigrations.load().scripts().stream()
                .map(s -> String.join("\t", s.location(), s.version(), s.script(), Integer.toString(s.checksum())))
                .toList();

        assertThat(indexed)
                .as(
                        "%s must hold exactly these lines (a script was added or edited):%n%s",
                        ShippedMigrations.INDEX, String.join("\n", resolved))
                .containsExactlyInAnyOrderElementsOf(resolved);
    }

    @Test
    void a_migrated_database_records_every_shipped_script() throws Exception {
        Path db = migrated("w.db");

        assertThat(allApplied(db, SQLITE)).isTrue();
        assertThat(allApplied(db, List.of(FlywaySchema.DEFAULT_LOCATION, "db/vendor/postgresql")))
                .as("PostgreSQL's own scripts are not in a SQLite history")
                .isFalse();
        assertThat(allApplied(db, List.of(FlywaySchema.DEFAULT_LOCATION, "db/test-migration")))
                .as("a folder the index does not cover")
                .isFalse();
    }

    @Test
    void a_database_without_a_history_is_not_complete() throws Exception {
        Path db = dir.resolve("empty.db");
        execute(db, "CREATE TABLE unrelated (x INTEGER)");

        assertThat(allApplied(db, SQLITE)).isFalse();
    }

    @Test
    void a_missing_row_is_pending_and_flyway_applies_it() throws Exception {
        Path db = migrated("w.db");
        execute(
                db,
                "DELETE FROM flyway_schema_history WHERE version = '012'",
                "DROP TABLE signing_keys",
                "DROP TABLE file_provenance");
        assertThat(allApplied(db, SQLITE)).isFalse();

        try (JdbcStorage reopened = JdbcStorage.openSqlite(db)) {
            assertThat(reopened.pendingMigrations()).isZero();
        }
        assertThat(allApplied(db, SQLITE)).isTrue();
    }

    @Test
    void an_edited_script_is_left_to_flyway_which_refuses_it() throws Exception {
        Path db = migrated("w.db");
        execute(db, "UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '002'");

        assertThat(allApplied(db, SQLITE)).isFalse();
        assertThatThrownBy(() -> JdbcStorage.openSqlite(db))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void a_failed_row_or_a_newer_script_is_not_complete() throws Exception {
        Path db = dir.resolve("w.db");
        JdbcStorage.openSqlite(db, List.of("db/test-migration")).close();
        assertThat(allApplied(db, SQLITE)).as("V999 applied on top").isFalse();

        Path failed = migrated("failed.db");
        execute(failed, "UPDATE flyway_schema_history SET success = 0 WHERE version = '009'");
        assertThat(allApplied(failed, SQLITE)).isFalse();
    }

    @Test
    void a_baseline_covers_the_scripts_at_and_below_its_version() throws Exception {
        Path db = migrated("w.db");
        execute(
                db,
                "DELETE FROM flyway_schema_history WHERE version IN ('001', '002', '004')",
                "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, installed_by,"
                        + " execution_time, success) VALUES (0, '4', 'adopted', 'BASELINE', 'adopted', '', 0, 1)");
        assertThat(allApplied(db, SQLITE)).isTrue();

        execute(db, "UPDATE flyway_schema_history SET version = '2' WHERE type = 'BASELINE'");
        assertThat(allApplied(db, SQLITE))
                .as("V004 is above a baseline at 2 and not applied")
                .isFalse();
    }

    @Test
    void a_reopened_store_works_on_the_skipped_path() throws Exception {
        Path db = migrated("w.db");

        try (JdbcStorage reopened = JdbcStorage.openSqlite(db)) {
            reopened.catalog().addFile(wheel("demo", "1.0", T0), "demo", "");
            assertThat(reopened.catalog().files(name("demo"))).hasSize(1);
            assertThat(reopened.pendingMigrations()).isZero();
        }
    }

    @Test
    void a_complete_history_opens_without_flyway_while_another_process_writes() throws Exception {
        Path db = migrated("w.db");
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = writer.createStatement()) {
            s.execute("BEGIN IMMEDIATE"); // the write lock every Flyway transaction on SQLite begins by taking
            ExecutorService opener = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> opened = opener.submit(() -> {
                    try (JdbcStorage reopened = JdbcStorage.openSqlite(db)) {
                        return reopened.pendingMigrations();
                    }
                });

                assertThat(opened.get(10, TimeUnit.SECONDS))
                        .as("opened and checked with reads only, not waiting for the writer")
                        .isZero();
            } finally {
                s.execute("ROLLBACK");
                opener.shutdownNow();
            }
        }
    }

    /** A database opened once by the storage: every shipped SQLite script applied by Flyway. */
    private Path migrated(String name) {
        Path db = dir.resolve(name);
        JdbcStorage.openSqlite(db).close();
        return db;
    }

    private static boolean allApplied(Path db, List<String> locations) throws Exception {
        return ShippedMigrations.load().allApplied(dataSource(db), locations);
    }

    private static SQLiteDataSource dataSource(Path db) {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + db);
        return source;
    }

    private static void execute(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}

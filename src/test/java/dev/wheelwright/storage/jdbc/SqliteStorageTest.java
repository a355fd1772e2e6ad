package dev.wheelwright.storage.jdbc;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.concurrently;
import static dev.wheelwright.storage.StorageFixtures.micros;
import static dev.wheelwright.storage.StorageFixtures.name;
import static dev.wheelwright.storage.StorageFixtures.stored;
import static dev.wheelwright.storage.StorageFixtures.token;
import static dev.wheelwright.storage.StorageFixtures.version;
import static dev.wheelwright.storage.StorageFixtures.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BuildStatus;
import dev.wheelwright.storage.BuilderIdentity;
import dev.wheelwright.storage.CachedUpstreamFile;
import dev.wheelwright.storage.PackageType;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredBuild;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.storage.TokenRecord;
import dev.wheelwright.storage.UpstreamSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite storage does beyond the port contracts: files, processes, migrations, upgrades. */
class SqliteStorageTest {
    private static final Instant OLD = Instant.parse("2025-01-02T03:04:05.678901Z");

    @TempDir
    Path dir;

    @Test
    void data_survives_close_and_reopen() {
        Path db = dir.resolve("reopen.db");
        StoredFile wheel = wheel("demo", "1.0", T0);
        try (JdbcStorage first = JdbcStorage.openSqlite(db)) {
            first.catalog().addFile(wheel, "Demo", "summary");
            first.tokens()
                    .addToken(
                            token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        }

        try (JdbcStorage reopened = JdbcStorage.openSqlite(db)) {
            assertThat(reopened.catalog().files(name("demo"))).containsExactly(stored(wheel));
            assertThat(reopened.catalog().project(name("demo")).orElseThrow().summary())
                    .isEqualTo("summary");
            assertThat(reopened.tokens().token("id-1")).isPresent();
        }
    }

    @Test
    void creates_the_directory_of_a_new_database() {
        Path db = dir.resolve("data/nested/wheelwright.db");

        try (JdbcStorage store = JdbcStorage.openSqlite(db)) {
            assertThat(store.catalog().projects()).isEmpty();
        }
        assertThat(db).exists();
    }

    @Test
    void migrations_are_recorded_and_applied_once() throws Exception {
        Path db = dir.resolve("migrate.db");

        JdbcStorage.openSqlite(db).close();
        JdbcStorage.openSqlite(db).close();

        assertThat(query(db, "SELECT version || ' ' || script FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactlyElementsOf(realMigrations());
    }

    @Test
    void runs_in_wal_mode_with_full_sync_and_foreign_keys() throws Exception {
        Path db = dir.resolve("pragmas.db");
        JdbcStorage.openSqlite(db).close();

        assertThat(query(db, "PRAGMA journal_mode")).containsExactly("wal"); // WAL is persistent in the file
        try (Connection c = SqliteDialect.forFile(db).connections().getConnection()) { // as the pool opens them
            assertThat(single(c, "PRAGMA synchronous")).isEqualTo("2"); // FULL
            assertThat(single(c, "PRAGMA foreign_keys")).isEqualTo("1");
            assertThat(single(c, "PRAGMA busy_timeout")).isEqualTo("10000");
        }
    }

    @Test
    void two_stores_on_one_file_see_each_others_writes() {
        Path db = dir.resolve("shared.db");
        try (JdbcStorage server = JdbcStorage.openSqlite(db);
                JdbcStorage cli = JdbcStorage.openSqlite(db)) {
            cli.tokens()
                    .addToken(token(
                            "id-1", "ci", List.of("upload"), Optional.empty(), Optional.empty(), Optional.empty()));
            server.catalog().addFile(wheel("demo", "1.0", T0), "demo", "");

            assertThat(server.tokens().token("id-1")).isPresent();
            assertThat(cli.catalog().files(name("demo"))).hasSize(1);
            assertThat(cli.tokens().revokeToken("ci")).isTrue();
            assertThat(server.tokens().tokens()).isEmpty();
        }
    }

    @Test
    void concurrent_writers_in_two_stores_on_one_file_all_succeed() throws Exception {
        Path db = dir.resolve("busy.db");
        int perThread = 25;
        try (JdbcStorage server = JdbcStorage.openSqlite(db);
                JdbcStorage cli = JdbcStorage.openSqlite(db)) {
            concurrently(8, thread -> {
                JdbcStorage mine = thread % 2 == 0 ? server : cli;
                for (int i = 0; i < perThread; i++) {
                    mine.catalog().addFile(wheel("demo", thread + "." + i, T0), "demo", "");
                    mine.catalog()
                            .setYanked(
                                    name("demo"),
                                    wheel("demo", thread + "." + i, T0).filename(),
                                    Optional.of("x"));
                }
                return null;
            });

            assertThat(server.catalog().files(name("demo"))).hasSize(8 * perThread);
            assertThat(cli.catalog().project(name("demo")).orElseThrow().revision())
                    .isEqualTo(2L * 8 * perThread);
        }
    }

    @Test
    void the_same_filename_added_through_two_stores_is_recorded_once() throws Exception {
        Path db = dir.resolve("race.db");
        StoredFile wheel = wheel("demo", "1.0", T0);
        try (JdbcStorage server = JdbcStorage.openSqlite(db);
                JdbcStorage cli = JdbcStorage.openSqlite(db)) {
            List<Optional<StoredFile>> results = concurrently(
                    8, thread -> (thread % 2 == 0 ? server : cli).catalog().addFile(wheel, "demo", ""));

            assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
            assertThat(server.catalog().files(name("demo"))).containsExactly(stored(wheel));
        }
    }

    @Test
    void stores_opened_at_the_same_time_on_a_new_file_both_migrate_it() throws Exception {
        Path db = dir.resolve("fresh.db");

        List<JdbcStorage> stores = concurrently(4, thread -> JdbcStorage.openSqlite(db));
        try {
            stores.get(0).catalog().addFile(wheel("demo", "1.0", T0), "demo", "");
            assertThat(stores.get(3).catalog().files(name("demo"))).hasSize(1);
        } finally {
            stores.forEach(JdbcStorage::close);
        }
        assertThat(query(db, "SELECT COUNT(*) FROM flyway_schema_history"))
                .containsExactly(Integer.toString(realMigrations().size()));
    }

    @Test
    void applies_pending_migrations_in_order_on_an_older_schema() throws Exception {
        Path db = dir.resolve("upgrade.db");
        JdbcStorage.openSqlite(db).close();

        try (JdbcStorage upgraded = JdbcStorage.openSqlite(db, List.of("db/test-migration"))) {
            upgraded.catalog().addFile(wheel("demo", "1.0", T0), "demo", "");
        }

        List<String> expected = new ArrayList<>(realMigrations());
        expected.add("999 V999__note.sql");
        assertThat(query(db, "SELECT version || ' ' || script FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactlyElementsOf(expected);
        assertThat(query(db, "SELECT text FROM test_notes")).containsExactly("second");
    }

    @Test
    void refuses_a_database_whose_schema_is_newer_than_it_knows() {
        Path db = dir.resolve("newer.db");
        JdbcStorage.openSqlite(db, List.of("db/test-migration")).close();

        assertThatThrownBy(() -> JdbcStorage.openSqlite(db))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("newer");
    }

    @Test
    void a_closed_store_refuses_work_with_a_storage_failure() {
        JdbcStorage store = JdbcStorage.openSqlite(dir.resolve("closed.db"));

        store.close();

        assertThatThrownBy(() -> store.catalog().projects()).isInstanceOf(StorageException.class);
    }

    @Test
    void failed_reads_and_writes_are_counted_as_storage_errors_but_a_duplicate_name_is_not() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        JdbcStorage store = JdbcStorage.openSqlite(dir.resolve("counted.db"), meters);
        store.tokens().addToken(tokenNamed("id-1", "ci"));
        assertThatThrownBy(() -> store.tokens().addToken(tokenNamed("id-2", "ci")))
                .hasMessageContaining("already exists")
                .isNotInstanceOf(StorageException.class);

        store.close();
        assertThatThrownBy(() -> store.catalog().projects()).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.tokens().addToken(tokenNamed("id-3", "other")))
                .isInstanceOf(StorageException.class);

        assertThat(errors(meters, "read")).isEqualTo(1);
        assertThat(errors(meters, "write")).isEqualTo(1);
    }

    private static TokenRecord tokenNamed(String id, String name) {
        return token(id, name, List.of("read"), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static double errors(SimpleMeterRegistry meters, String operation) {
        return meters.get("wheelwright.storage.errors")
                .tag("store", "metadata")
                .tag("operation", operation)
                .counter()
                .count();
    }

    // --- a data directory of the earlier migration runner (schema_version) upgrades in place

    @Test
    void a_database_of_the_earlier_migration_runner_is_adopted_with_its_data_and_takes_writes() throws Exception {
        Path db = dir.resolve("wheelwright.db");
        try (Connection legacy = LegacyDatabase.create(db, LegacyDatabase.SCRIPTS.size())) {
            legacyRows(legacy);
        }

        try (JdbcStorage upgraded = JdbcStorage.openSqlite(db)) {
            assertLegacyRows(upgraded);
            assertThat(upgraded.upstreamCache().upstreamSnapshot(name("idna")))
                    .contains(new UpstreamSnapshot(
                            name("idna"), "pypi", "{}", Optional.of("\"e1\""), Optional.empty(), OLD));
            assertThat(upgraded.upstreamCache().cachedUpstreamFiles(name("idna")))
                    .containsExactly(new CachedUpstreamFile(
                            "idna-3.20-py3-none-any.whl",
                            name("idna"),
                            "c".repeat(64),
                            70_000,
                            BlobKey.of("sha256/cc/idna.whl"),
                            OLD));

            StoredFile later = wheel("demo-pkg", "2.0", T0);
            assertThat(upgraded.catalog().addFile(later, "Demo-Pkg", "newer")).isEmpty();
            upgraded.catalog().setYanked(name("demo-pkg"), "demo_pkg-1.0-py3-none-any.whl", Optional.empty());
            upgraded.tokens().tokenUsed("0123456789abcdef", T0);
            upgraded.builds()
                    .updateBuild(new StoredBuild(
                            name("demo-pkg"),
                            version("1.0"),
                            "v1.0",
                            "a".repeat(40),
                            BuildStatus.SUCCEEDED,
                            Optional.empty(),
                            OLD,
                            Optional.of(OLD),
                            Optional.of(T0),
                            BuilderIdentity.UNKNOWN));
            upgraded.upstreamCache().deleteUpstreamSnapshot(name("idna"));
        }

        try (JdbcStorage reopened = JdbcStorage.openSqlite(db)) {
            assertThat(reopened.catalog().files(name("demo-pkg")))
                    .extracting(StoredFile::filename)
                    .containsExactly(
                            "demo_pkg-1.0-py3-none-any.whl", "demo-pkg-1.0.tar.gz", "demo_pkg-2.0-py3-none-any.whl");
            assertThat(reopened.catalog()
                            .project(name("demo-pkg"))
                            .orElseThrow()
                            .revision())
                    .isEqualTo(9);
            assertThat(reopened.catalog()
                            .file(name("demo-pkg"), "demo_pkg-1.0-py3-none-any.whl")
                            .orElseThrow()
                            .yankedReason())
                    .isEmpty();
            assertThat(reopened.tokens().token("0123456789abcdef").orElseThrow().lastUsed())
                    .contains(micros(T0));
            assertThat(reopened.builds().unfinishedBuilds()).isEmpty();
            assertThat(reopened.upstreamCache().upstreamSnapshot(name("idna"))).isEmpty();
        }
        assertThat(query(db, "SELECT version || ' ' || type || ' ' || success FROM flyway_schema_history"))
                .containsExactlyElementsOf(
                        scriptsAfter(4, "4 BASELINE 1", " SQL 1")); // adopted: no script ran again; V005 on new
        assertThat(query(db, "SELECT version || ' ' || name FROM schema_version ORDER BY version"))
                .containsExactly("1 V001__init.sql", "2 V002__builds.sql", "4 V004__upstream_cache.sql");
    }

    @Test
    void a_database_of_the_earlier_runner_at_an_older_version_gets_only_the_later_migrations() throws Exception {
        Path db = dir.resolve("wheelwright.db");
        try (Connection legacy = LegacyDatabase.create(db, 2)) { // before the upstream cache existed
            LegacyDatabase.inTransaction(legacy, """
                    INSERT INTO projects (name, display_name, summary, created_us, revision)
                    VALUES ('demo-pkg', 'Demo_Pkg', 'old', 1735787045678901, 1)""");
        }

        try (JdbcStorage upgraded = JdbcStorage.openSqlite(db)) {
            assertThat(upgraded.catalog().project(name("demo-pkg")))
                    .contains(new ProjectRecord(name("demo-pkg"), "Demo_Pkg", "old", OLD, 1));
            upgraded.upstreamCache()
                    .putUpstreamSnapshot(
                            new UpstreamSnapshot(name("idna"), "pypi", "{}", Optional.empty(), Optional.empty(), T0));
            assertThat(upgraded.upstreamCache().upstreamSnapshot(name("idna"))).isPresent();
        }
        assertThat(query(db, "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactlyElementsOf(scriptsAfter(2, "2 BASELINE", " SQL"));
    }

    @Test
    void a_database_the_earlier_runner_left_before_its_first_script_gets_every_script() throws Exception {
        Path db = dir.resolve("wheelwright.db");
        LegacyDatabase.create(db, 0).close(); // schema_version created, then the process died

        try (JdbcStorage upgraded = JdbcStorage.openSqlite(db)) {
            upgraded.catalog().addFile(wheel("demo", "1.0", T0), "demo", "");
            assertThat(upgraded.catalog().files(name("demo"))).hasSize(1);
        }
        assertThat(query(db, "SELECT version || ' ' || type FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactlyElementsOf(scriptsAfter(0, "0 BASELINE", " SQL"));
    }

    @Test
    void databases_of_the_earlier_runner_opened_at_the_same_time_are_adopted_once() throws Exception {
        Path db = dir.resolve("wheelwright.db");
        try (Connection legacy = LegacyDatabase.create(db, LegacyDatabase.SCRIPTS.size())) {
            legacyRows(legacy);
        }

        List<JdbcStorage> stores = concurrently(4, thread -> JdbcStorage.openSqlite(db));
        try {
            for (JdbcStorage store : stores) {
                assertLegacyRows(store);
            }
        } finally {
            stores.forEach(JdbcStorage::close);
        }
        assertThat(query(db, "SELECT version || ' ' || type FROM flyway_schema_history"))
                .containsExactlyElementsOf(
                        scriptsAfter(4, "4 BASELINE", " SQL")); // baselined once; V005 on applied once
    }

    @Test
    void refuses_a_database_of_the_earlier_runner_whose_schema_is_newer_than_it_knows() throws Exception {
        Path db = dir.resolve("wheelwright.db");
        try (Connection legacy = LegacyDatabase.create(db, LegacyDatabase.SCRIPTS.size())) {
            LegacyDatabase.inTransaction(
                    legacy, "INSERT INTO schema_version (version, name) VALUES (999, 'V999__x.sql')");
        }

        assertThatThrownBy(() -> JdbcStorage.openSqlite(db))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("newer");
        assertThat(query(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'flyway_schema_history'"))
                .containsExactly("0");
    }

    /** Rows as the earlier code wrote them: two files (one yanked), a token, an unfinished build, cache entries. */
    private static void legacyRows(Connection c) throws Exception {
        LegacyDatabase.inTransaction(c, """
                INSERT INTO projects (name, display_name, summary, created_us, revision)
                VALUES ('demo-pkg', 'Demo_Pkg', 'A demo', 1735787045678901, 7)""", """
                INSERT INTO files (filename, project, version, packagetype, size, sha256, blob_key, requires_python,
                    metadata_sha256, metadata_blob_key, upload_time_us, yanked, yanked_reason, uploaded_by)
                VALUES ('demo_pkg-1.0-py3-none-any.whl', 'demo-pkg', '1.0', 'bdist_wheel', 1234,
                    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'sha256/aa/demo.whl', '>=3.8',
                    'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'sha256/bb/demo.metadata',
                    1735787045678901, 1, 'broken', 'ci')""", """
                INSERT INTO files (filename, project, version, packagetype, size, sha256, blob_key, requires_python,
                    metadata_sha256, metadata_blob_key, upload_time_us, yanked, yanked_reason, uploaded_by)
                VALUES ('demo-pkg-1.0.tar.gz', 'demo-pkg', '1.0', 'sdist', 4321,
                    'dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd', 'sha256/dd/demo.tar.gz', NULL,
                    NULL, NULL, 1735787045678902, 0, NULL, 'import')""", """
                INSERT INTO tokens (id, name, salt, secret_hash, scopes, project_glob, created_us, expires_us,
                    last_used_us)
                VALUES ('0123456789abcdef', 'ci', '5a17', 'ee', 'read,upload', 'demo-*', 1735787045678901, NULL,
                    NULL)""", """
                INSERT INTO builds (project, version, tag, commit_id, status, reason, queued_us, started_us,
                    finished_us)
                VALUES ('demo-pkg', '1.0', 'v1.0', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'running', NULL,
                    1735787045678901, 1735787045678901, NULL)""", """
                INSERT INTO upstream_snapshots (project, upstream, body, etag, last_modified, fetched_us)
                VALUES ('idna', 'pypi', '{}', '"e1"', NULL, 1735787045678901)""", """
                INSERT INTO upstream_files (filename, project, sha256, size, blob_key, cached_us)
                VALUES ('idna-3.20-py3-none-any.whl', 'idna',
                    'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc', 70000, 'sha256/cc/idna.whl',
                    1735787045678901)""");
    }

    private static void assertLegacyRows(JdbcStorage store) {
        assertThat(store.catalog().projects())
                .containsExactly(new ProjectRecord(name("demo-pkg"), "Demo_Pkg", "A demo", OLD, 7));
        assertThat(store.catalog().files(name("demo-pkg")))
                .containsExactly(
                        new StoredFile(
                                name("demo-pkg"),
                                version("1.0"),
                                "demo_pkg-1.0-py3-none-any.whl",
                                PackageType.BDIST_WHEEL,
                                1234,
                                "a".repeat(64),
                                BlobKey.of("sha256/aa/demo.whl"),
                                Optional.of(">=3.8"),
                                Optional.of("b".repeat(64)),
                                Optional.of(BlobKey.of("sha256/bb/demo.metadata")),
                                OLD,
                                Optional.of("broken"),
                                "ci"),
                        new StoredFile(
                                name("demo-pkg"),
                                version("1.0"),
                                "demo-pkg-1.0.tar.gz",
                                PackageType.SDIST,
                                4321,
                                "d".repeat(64),
                                BlobKey.of("sha256/dd/demo.tar.gz"),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                OLD.plusNanos(1000),
                                Optional.empty(),
                                "import"));
        assertThat(store.catalog().referencesBlob(BlobKey.of("sha256/bb/demo.metadata")))
                .isTrue();
        assertThat(store.tokens().tokens())
                .containsExactly(new TokenRecord(
                        "0123456789abcdef",
                        "ci",
                        "5a17",
                        "ee",
                        List.of("read", "upload"),
                        Optional.of("demo-*"),
                        OLD,
                        Optional.empty(),
                        Optional.empty()));
        assertThat(store.builds().unfinishedBuilds())
                .containsExactly(new StoredBuild(
                        name("demo-pkg"),
                        version("1.0"),
                        "v1.0",
                        "a".repeat(40),
                        BuildStatus.RUNNING,
                        Optional.empty(),
                        OLD,
                        Optional.of(OLD),
                        Optional.empty(),
                        BuilderIdentity.UNKNOWN));
        assertThat(store.upstreamCache().referencesBlob(BlobKey.of("sha256/cc/idna.whl")))
                .isTrue();
    }

    /** "version script" of every migration SQLite runs (the shared ones and its own), as Flyway records them. */
    private static List<String> realMigrations() throws URISyntaxException, java.io.IOException {
        List<String> scripts = new ArrayList<>();
        for (String location : List.of("db/migration", "db/vendor/sqlite")) {
            Path folder = Path.of(SqliteStorageTest.class
                    .getClassLoader()
                    .getResource(location)
                    .toURI());
            try (Stream<Path> files = Files.list(folder)) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("V\\d+__\\w+\\.sql"))
                        .forEach(scripts::add);
            }
        }
        return scripts.stream()
                .sorted()
                .map(n -> n.substring(1, n.indexOf("__")) + " " + n)
                .toList();
    }

    /**
     * What Flyway's history holds after adopting a database at {@code baselineVersion}: {@code baseline}, then one
     * row per real migration after it, its version (as Flyway prints it, e.g. {@code 005}) and {@code suffix}.
     */
    private static List<String> scriptsAfter(int baselineVersion, String baseline, String suffix) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add(baseline);
        for (String migration : realMigrations()) {
            String version = migration.substring(0, migration.indexOf(' '));
            if (Integer.parseInt(version) > baselineVersion) {
                rows.add(version + suffix);
            }
        }
        return rows;
    }

    private static List<String> query(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement statement = c.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static String single(Connection c, String sql) throws Exception {
        try (PreparedStatement statement = c.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getString(1);
        }
    }
}

package dev.wheelwright.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.storage.MetadataStore;
import dev.wheelwright.storage.MetadataStoreContract;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path dir;

    @Override
    protected MetadataStore newStore() {
        return SqliteMetadataStore.open(dir.resolve("contract.db"));
    }

    @Test
    void data_survives_close_and_reopen() {
        Path db = dir.resolve("reopen.db");
        StoredFile wheel = wheel("demo", "1.0", T0);
        try (SqliteMetadataStore first = SqliteMetadataStore.open(db)) {
            first.addFile(wheel, "Demo", "summary");
            first.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        }

        try (SqliteMetadataStore reopened = SqliteMetadataStore.open(db)) {
            assertThat(reopened.files("demo")).containsExactly(stored(wheel));
            assertThat(reopened.project("demo").orElseThrow().summary()).isEqualTo("summary");
            assertThat(reopened.token("id-1")).isPresent();
        }
    }

    @Test
    void creates_the_directory_of_a_new_database() {
        Path db = dir.resolve("data/nested/wheelwright.db");

        try (SqliteMetadataStore store = SqliteMetadataStore.open(db)) {
            assertThat(store.projects()).isEmpty();
        }
        assertThat(db).exists();
    }

    @Test
    void migrations_are_recorded_and_applied_once() throws Exception {
        Path db = dir.resolve("migrate.db");

        SqliteMetadataStore.open(db).close();
        SqliteMetadataStore.open(db).close();

        assertThat(query(db, "SELECT version || ' ' || name FROM schema_version ORDER BY version"))
                .containsExactly("1 V001__init.sql", "2 V002__builds.sql");
    }

    @Test
    void runs_in_wal_mode_with_full_sync_and_foreign_keys() throws Exception {
        Path db = dir.resolve("pragmas.db");
        SqliteMetadataStore.open(db).close();

        assertThat(query(db, "PRAGMA journal_mode")).containsExactly("wal"); // WAL is persistent in the file
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            new SqliteDialect().configure(c);
            assertThat(single(c, "PRAGMA synchronous")).isEqualTo("2"); // FULL
            assertThat(single(c, "PRAGMA foreign_keys")).isEqualTo("1");
            assertThat(single(c, "PRAGMA busy_timeout")).isEqualTo("10000");
        }
    }

    @Test
    void two_stores_on_one_file_see_each_others_writes() {
        Path db = dir.resolve("shared.db");
        try (SqliteMetadataStore server = SqliteMetadataStore.open(db);
                SqliteMetadataStore cli = SqliteMetadataStore.open(db)) {
            cli.addToken(token("id-1", "ci", List.of("upload"), Optional.empty(), Optional.empty(), Optional.empty()));
            server.addFile(wheel("demo", "1.0", T0), "demo", "");

            assertThat(server.token("id-1")).isPresent();
            assertThat(cli.files("demo")).hasSize(1);
            assertThat(cli.revokeToken("ci")).isTrue();
            assertThat(server.tokens()).isEmpty();
        }
    }

    @Test
    void concurrent_writers_in_two_stores_on_one_file_all_succeed() throws Exception {
        Path db = dir.resolve("busy.db");
        int perThread = 25;
        try (SqliteMetadataStore server = SqliteMetadataStore.open(db);
                SqliteMetadataStore cli = SqliteMetadataStore.open(db)) {
            concurrently(8, thread -> {
                SqliteMetadataStore mine = thread % 2 == 0 ? server : cli;
                for (int i = 0; i < perThread; i++) {
                    mine.addFile(wheel("demo", thread + "." + i, T0), "demo", "");
                    mine.setYanked("demo", wheel("demo", thread + "." + i, T0).filename(), Optional.of("x"));
                }
                return null;
            });

            assertThat(server.files("demo")).hasSize(8 * perThread);
            assertThat(cli.project("demo").orElseThrow().revision()).isEqualTo(2L * 8 * perThread);
        }
    }

    @Test
    void the_same_filename_added_through_two_stores_is_recorded_once() throws Exception {
        Path db = dir.resolve("race.db");
        StoredFile wheel = wheel("demo", "1.0", T0);
        try (SqliteMetadataStore server = SqliteMetadataStore.open(db);
                SqliteMetadataStore cli = SqliteMetadataStore.open(db)) {
            List<Optional<StoredFile>> results =
                    concurrently(8, thread -> (thread % 2 == 0 ? server : cli).addFile(wheel, "demo", ""));

            assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
            assertThat(server.files("demo")).containsExactly(stored(wheel));
        }
    }

    @Test
    void stores_opened_at_the_same_time_on_a_new_file_both_migrate_it() throws Exception {
        Path db = dir.resolve("fresh.db");

        List<SqliteMetadataStore> stores = concurrently(4, thread -> SqliteMetadataStore.open(db));
        try {
            stores.get(0).addFile(wheel("demo", "1.0", T0), "demo", "");
            assertThat(stores.get(3).files("demo")).hasSize(1);
        } finally {
            stores.forEach(SqliteMetadataStore::close);
        }
        assertThat(query(db, "SELECT COUNT(*) FROM schema_version")).containsExactly("2");
    }

    @Test
    void applies_pending_migrations_in_order_on_an_older_schema() throws Exception {
        Path db = dir.resolve("upgrade.db");
        SqliteMetadataStore.open(db).close();

        try (SqliteMetadataStore upgraded = SqliteMetadataStore.open(db, "db/test-migration")) {
            upgraded.addFile(wheel("demo", "1.0", T0), "demo", "");
        }

        assertThat(query(db, "SELECT version || ' ' || name FROM schema_version ORDER BY version"))
                .containsExactly("1 V001__init.sql", "2 V002__builds.sql", "999 V999__note.sql");
        assertThat(query(db, "SELECT text FROM test_notes")).containsExactly("second");
    }

    @Test
    void refuses_a_database_whose_schema_is_newer_than_it_knows() {
        Path db = dir.resolve("newer.db");
        SqliteMetadataStore.open(db, "db/test-migration").close();

        assertThatThrownBy(() -> SqliteMetadataStore.open(db))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("newer");
    }

    @Test
    void a_closed_store_refuses_work_with_a_storage_failure() {
        SqliteMetadataStore store = SqliteMetadataStore.open(dir.resolve("closed.db"));

        store.close();

        assertThatThrownBy(store::projects).isInstanceOf(StorageException.class);
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

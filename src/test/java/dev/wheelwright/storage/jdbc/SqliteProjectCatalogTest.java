package dev.wheelwright.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectCatalogContract;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StorageFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteProjectCatalogTest extends ProjectCatalogContract {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @Override
    protected ProjectCatalog newCatalog() {
        storage = JdbcStorage.openSqlite(dir.resolve("contract.db"));
        return storage.catalog();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    /** Another process (here: another pool on the same file, as the CLI opens it) writes: the stamp moves. */
    @Test
    void the_change_stamp_moves_when_another_process_writes() {
        long before = store.changeStamp();
        try (JdbcStorage cli = JdbcStorage.openSqlite(dir.resolve("contract.db"))) {
            assertThat(cli.catalog().addFile(StorageFixtures.wheel("other", "1.0", StorageFixtures.T0), "other", ""))
                    .isEmpty();
        }

        assertThat(store.changeStamp()).isNotEqualTo(before);
        assertThat(store.project(StorageFixtures.name("other"))).isPresent();
    }

    /**
     * A quiet database answers the stamp from its files' times and sizes, without asking SQLite; a commit by another
     * process is still seen by the very next call.
     */
    @Test
    void a_quiet_database_is_not_asked_for_its_stamp_and_a_commit_is_still_seen_at_once() throws Exception {
        store.addFile(StorageFixtures.wheel("demo", "1.0", StorageFixtures.T0), "demo", "");
        store.changeStamp();
        Thread.sleep(120); // past the file time margin
        long quiet = store.changeStamp();
        long asked = storage.database().stampQueries();
        for (int i = 0; i < 1000; i++) {
            assertThat(store.changeStamp()).isEqualTo(quiet);
        }
        assertThat(storage.database().stampQueries()).isEqualTo(asked);

        for (int round = 0; round < 5; round++) {
            long before = store.changeStamp();
            try (JdbcStorage cli = JdbcStorage.openSqlite(dir.resolve("contract.db"))) {
                cli.catalog()
                        .addFile(
                                StorageFixtures.wheel("other-" + round, "1.0", StorageFixtures.T0),
                                "other-" + round,
                                "");
            }
            assertThat(store.changeStamp()).as("round %d", round).isNotEqualTo(before);
        }
    }

    @Test
    void the_change_stamp_fails_once_the_storage_is_closed() {
        storage.close();

        assertThatThrownBy(() -> store.changeStamp()).isInstanceOf(StorageException.class);
    }
}

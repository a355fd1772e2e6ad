package dev.wheelwright.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectCatalogContract;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StorageFixtures;
import dev.wheelwright.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresProjectCatalogTest extends ProjectCatalogContract {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private JdbcStorage storage;

    @Override
    protected ProjectCatalog newCatalog() {
        storage = postgres.openEmptied();
        return storage.catalog();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    /** Another replica (another pool on the same database) writes: this one's stamp moves at the very next call. */
    @Test
    void the_change_stamp_moves_at_once_when_another_replica_writes() {
        try (JdbcStorage replica = postgres.open()) {
            for (int round = 0; round < 20; round++) {
                long before = store.changeStamp();
                assertThat(store.changeStamp())
                        .as("round %d, nothing written", round)
                        .isEqualTo(before);

                replica.catalog()
                        .addFile(
                                StorageFixtures.wheel("other-" + round, "1.0", StorageFixtures.T0),
                                "other-" + round,
                                "");

                assertThat(store.changeStamp()).as("round %d", round).isNotEqualTo(before);
                assertThat(store.project(StorageFixtures.name("other-" + round)))
                        .isPresent();
            }
        }
    }

    @Test
    void the_change_stamp_fails_once_the_storage_is_closed() {
        storage.close();

        assertThatThrownBy(() -> store.changeStamp()).isInstanceOf(StorageException.class);
    }
}

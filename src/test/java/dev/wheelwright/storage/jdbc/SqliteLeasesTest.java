package dev.wheelwright.storage.jdbc;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.storage.Leases;
import dev.wheelwright.storage.LeasesContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLeasesTest extends LeasesContract {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @Override
    protected Leases newLeases() {
        storage = JdbcStorage.openSqlite(dir.resolve("contract.db"));
        return storage.leases();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Test
    void two_processes_on_one_database_never_both_hold_a_lease() throws Exception {
        try (JdbcStorage other = JdbcStorage.openSqlite(dir.resolve("contract.db"))) {
            List<Leases> replicas = List.of(storage.leases(), other.leases());

            List<Boolean> taken = concurrently(
                    8, i -> replicas.get(i % 2).acquire("build:demo:1.0", "replica-" + i, T0, T0.plusSeconds(30)));

            assertThat(taken).containsOnlyOnce(true);
            assertThat(other.leases().holder("build:demo:1.0").orElseThrow().owner())
                    .isEqualTo("replica-" + taken.indexOf(true));
        }
    }
}

package dev.wheelwright.storage.jdbc;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.storage.Leases;
import dev.wheelwright.storage.LeasesContract;
import dev.wheelwright.testing.PostgresDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresLeasesTest extends LeasesContract {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private JdbcStorage storage;

    @Override
    protected Leases newLeases() {
        storage = postgres.openEmptied();
        return storage.leases();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    @Test
    void two_replicas_on_one_database_never_both_hold_a_lease() throws Exception {
        try (JdbcStorage other = postgres.open()) {
            List<Leases> replicas = List.of(storage.leases(), other.leases());

            List<Boolean> taken = concurrently(
                    8, i -> replicas.get(i % 2).acquire("build:demo:1.0", "replica-" + i, T0, T0.plusSeconds(30)));

            assertThat(taken).containsOnlyOnce(true);
            assertThat(other.leases().holder("build:demo:1.0").orElseThrow().owner())
                    .isEqualTo("replica-" + taken.indexOf(true));
        }
    }
}

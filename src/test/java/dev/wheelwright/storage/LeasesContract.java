package dev.wheelwright.storage;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.concurrently;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Leases} must do. A backend's test class only says how to build one. */
public abstract class LeasesContract {
    private static final Instant T1 = T0.plusSeconds(30);

    protected Leases leases;

    /** New, empty leases; the backend's test closes what it opened, after each test. */
    protected abstract Leases newLeases() throws Exception;

    @BeforeEach
    void createLeases() throws Exception {
        leases = newLeases();
    }

    @Test
    void a_free_resource_is_leased_and_its_holder_known() {
        assertThat(leases.holder("build:demo:1.0")).isEmpty();

        assertThat(leases.acquire("build:demo:1.0", "replica-a", T0, T1)).isTrue();

        assertThat(leases.holder("build:demo:1.0")).hasValueSatisfying(lease -> {
            assertThat(lease.owner()).isEqualTo("replica-a");
            assertThat(lease.expires()).isEqualTo(StorageFixtures.micros(T1));
            assertThat(lease.liveAt(T0)).isTrue();
            assertThat(lease.liveAt(T1)).isFalse();
        });
        assertThat(leases.holder("build:demo:2.0")).isEmpty();
    }

    @Test
    void a_live_lease_is_refused_to_others_and_renewed_for_its_holder() {
        leases.acquire("r", "replica-a", T0, T1);

        assertThat(leases.acquire("r", "replica-b", T0.plusSeconds(29), T1.plusSeconds(29)))
                .isFalse();
        assertThat(leases.acquire("r", "replica-a", T0.plusSeconds(10), T1.plusSeconds(10)))
                .isTrue();

        assertThat(leases.holder("r").orElseThrow().owner()).isEqualTo("replica-a");
        assertThat(leases.holder("r").orElseThrow().expires()).isEqualTo(StorageFixtures.micros(T1.plusSeconds(10)));
    }

    @Test
    void an_expired_lease_is_taken_by_another_and_lost_by_its_old_holder() {
        leases.acquire("r", "replica-a", T0, T1);

        assertThat(leases.acquire("r", "replica-b", T1, T1.plusSeconds(30))).isTrue();

        assertThat(leases.holder("r").orElseThrow().owner()).isEqualTo("replica-b");
        assertThat(leases.acquire("r", "replica-a", T1.plusSeconds(1), T1.plusSeconds(31)))
                .isFalse();
        assertThat(leases.release("r", "replica-a")).isFalse();
        assertThat(leases.holder("r").orElseThrow().owner()).isEqualTo("replica-b");
    }

    @Test
    void a_released_lease_is_free_at_once() {
        leases.acquire("r", "replica-a", T0, T1);

        assertThat(leases.release("r", "replica-a")).isTrue();

        assertThat(leases.holder("r")).isEmpty();
        assertThat(leases.acquire("r", "replica-b", T0, T1)).isTrue();
        assertThat(leases.release("r", "replica-a")).isFalse();
    }

    @Test
    void leases_on_different_resources_are_independent() {
        assertThat(leases.acquire("build:a:1", "replica-a", T0, T1)).isTrue();
        assertThat(leases.acquire("build:b:1", "replica-b", T0, T1)).isTrue();

        assertThat(leases.holder("build:a:1").orElseThrow().owner()).isEqualTo("replica-a");
        assertThat(leases.holder("build:b:1").orElseThrow().owner()).isEqualTo("replica-b");
    }

    @Test
    void of_many_concurrent_takers_exactly_one_gets_a_free_lease() throws Exception {
        List<Boolean> taken = concurrently(8, i -> leases.acquire("build:demo:1.0", "replica-" + i, T0, T1));

        assertThat(taken).containsOnlyOnce(true);
        String winner = "replica-" + taken.indexOf(true);
        assertThat(leases.holder("build:demo:1.0").orElseThrow().owner()).isEqualTo(winner);
    }
}

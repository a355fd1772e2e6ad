package dev.wheelwright.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthServiceTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final HealthService.Degraded REMOTE =
            new HealthService.Degraded("https://git.example.com/acme.git", T0, "cannot fetch: connection refused");

    @Test
    void every_check_passing_is_ready_and_degraded_remotes_do_not_change_that() {
        HealthService health =
                new HealthService(() -> true, () -> 0, () -> true, () -> List.of(REMOTE), () -> List.of());

        HealthService.Readiness r = health.readiness();

        assertThat(r.ready()).isTrue();
        assertThat(r.checks())
                .containsExactly(
                        java.util.Map.entry("metadata", "ok"),
                        java.util.Map.entry("migrations", "ok"),
                        java.util.Map.entry("artifacts", "ok"));
        assertThat(r.git()).containsExactly(REMOTE);
        assertThat(r.upstreams()).isEmpty();
    }

    @Test
    void a_metadata_store_that_throws_is_not_ready_and_its_migrations_are_unknown() {
        HealthService health = new HealthService(
                () -> {
                    throw new IllegalStateException("pool closed");
                },
                () -> 0,
                () -> true,
                List::of,
                List::of);

        HealthService.Readiness r = health.readiness();

        assertThat(r.ready()).isFalse();
        assertThat(r.checks().get("metadata")).isEqualTo("the metadata store does not answer");
        assertThat(r.checks().get("migrations")).startsWith("unknown");
    }

    @Test
    void pending_migrations_or_a_missing_artifact_store_are_not_ready() {
        assertThat(new HealthService(() -> true, () -> 2, () -> true, List::of, List::of)
                        .readiness()
                        .checks()
                        .get("migrations"))
                .isEqualTo("2 schema migrations are not applied");
        assertThat(new HealthService(() -> true, () -> 0, () -> false, List::of, List::of)
                        .readiness()
                        .ready())
                .isFalse();
    }

    @Test
    void a_list_of_remotes_that_cannot_be_made_is_empty_not_a_failure() {
        HealthService health = new HealthService(
                () -> true,
                () -> 0,
                () -> true,
                () -> {
                    throw new IllegalStateException("closed");
                },
                List::of);

        assertThat(health.readiness().ready()).isTrue();
        assertThat(health.readiness().git()).isEmpty();
    }
}

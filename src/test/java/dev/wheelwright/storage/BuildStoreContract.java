package dev.wheelwright.storage;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.build;
import static dev.wheelwright.storage.StorageFixtures.concurrently;
import static dev.wheelwright.storage.StorageFixtures.micros;
import static dev.wheelwright.storage.StorageFixtures.name;
import static dev.wheelwright.storage.StorageFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BuildStore} must do. A backend's test class only says how to build one. */
public abstract class BuildStoreContract {
    protected BuildStore store;

    /** A new, empty build store; the backend's test closes what it opened, after each test. */
    protected abstract BuildStore newBuildStore() throws Exception;

    @BeforeEach
    void createBuildStore() throws Exception {
        store = newBuildStore();
    }

    @Test
    void a_build_round_trips_and_is_listed_for_its_project() {
        StoredBuild queued = build("demo", "1.0", "queued", T0);

        Optional<StoredBuild> existing = store.addBuild(queued);

        assertThat(existing).isEmpty();
        assertThat(store.build(name("demo"), version("1.0"))).contains(micros(queued));
        assertThat(store.builds(name("demo"))).containsExactly(micros(queued));
        assertThat(store.builds(name("other"))).isEmpty();
        assertThat(store.build(name("demo"), version("2.0"))).isEmpty();
    }

    @Test
    void a_second_build_of_a_release_returns_the_first_and_changes_nothing() {
        StoredBuild first = build("demo", "1.0", "queued", T0);
        store.addBuild(first);
        StoredBuild second = new StoredBuild(
                name("demo"),
                version("1.0"),
                "v1.0-again",
                "b".repeat(40),
                BuildStatus.QUEUED,
                Optional.empty(),
                T0.plusSeconds(5),
                Optional.empty(),
                Optional.empty(),
                BuilderIdentity.UNKNOWN);

        Optional<StoredBuild> existing = store.addBuild(second);

        assertThat(existing).contains(micros(first));
        assertThat(store.builds(name("demo"))).containsExactly(micros(first));
    }

    @Test
    void updating_a_build_replaces_its_state_including_clearing_times() {
        store.addBuild(build("demo", "1.0", "queued", T0));
        StoredBuild failed = new StoredBuild(
                name("demo"),
                version("1.0"),
                "v1.0",
                "a".repeat(40),
                BuildStatus.FAILED,
                Optional.of("broken"),
                T0,
                Optional.of(T0.plusSeconds(1)),
                Optional.of(T0.plusSeconds(2)),
                BuilderIdentity.UNKNOWN);
        StoredBuild requeued = build("demo", "1.0", "queued", T0.plusSeconds(10));

        assertThat(store.updateBuild(failed)).isTrue();
        assertThat(store.build(name("demo"), version("1.0"))).contains(micros(failed));
        assertThat(store.updateBuild(requeued)).isTrue();
        assertThat(store.build(name("demo"), version("1.0"))).contains(micros(requeued));
        assertThat(store.updateBuild(build("demo", "9.9", "queued", T0))).isFalse();
        assertThat(store.build(name("demo"), version("9.9"))).isEmpty();
    }

    @Test
    void lists_builds_most_recently_queued_first_and_unfinished_ones_oldest_first() {
        store.addBuild(build("demo", "1.0", "succeeded", T0));
        store.addBuild(build("demo", "2.0", "running", T0.plusSeconds(1)));
        store.addBuild(build("demo", "3.0", "queued", T0.plusSeconds(2)));
        store.addBuild(build("other", "1.0", "failed", T0.plusSeconds(3)));
        store.addBuild(build("other", "2.0", "queued", T0.plusSeconds(4)));

        assertThat(store.builds(name("demo")))
                .extracting(b -> b.version().normalized())
                .containsExactly("3.0", "2.0", "1.0");
        assertThat(store.unfinishedBuilds())
                .extracting(b -> b.project().normalized() + " " + b.version().normalized())
                .containsExactly("demo 2.0", "demo 3.0", "other 2.0");
    }

    @Test
    void concurrent_adds_of_the_same_build_record_it_exactly_once() throws Exception {
        List<Optional<StoredBuild>> results =
                concurrently(8, thread -> store.addBuild(build("demo", "1.0", "queued", T0.plusSeconds(thread))));

        assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(store.builds(name("demo"))).hasSize(1);
    }

    @Test
    void versions_are_told_apart_by_their_normalized_form() {
        store.addBuild(build("demo", "1.0", "queued", T0));

        assertThat(store.addBuild(build("demo", "1.0.0", "queued", T0.plusSeconds(1))))
                .isEmpty();
        assertThat(store.build(name("demo"), version("v1.0"))).map(b -> b.tag()).contains("v1.0");
        assertThat(store.build(name("demo"), version("1.0.0")))
                .map(b -> b.tag())
                .contains("v1.0.0");
        assertThat(store.builds(name("Demo")))
                .extracting(b -> b.version().normalized())
                .containsExactly("1.0.0", "1.0");
    }

    @Test
    void every_status_round_trips_and_only_queued_and_running_are_unfinished() {
        for (BuildStatus status : BuildStatus.values()) {
            store.addBuild(build("demo", status.ordinal() + ".0", status.label(), T0.plusSeconds(status.ordinal())));
        }

        assertThat(store.builds(name("demo")))
                .extracting(StoredBuild::status)
                .containsExactly(BuildStatus.FAILED, BuildStatus.SUCCEEDED, BuildStatus.RUNNING, BuildStatus.QUEUED);
        assertThat(store.unfinishedBuilds())
                .extracting(StoredBuild::status)
                .containsExactly(BuildStatus.QUEUED, BuildStatus.RUNNING);
    }

    // #10: the release page says who built it
    @Test
    void the_builder_round_trips_and_a_new_run_starts_with_only_its_host() {
        store.addBuild(build("demo", "1.0", "queued", T0));
        StoredBuild running = build("demo", "1.0", "queued", T0).startedAt("v1.0", "a".repeat(40), T0, "replica-a");
        StoredBuild identified = running.withBuilder(
                running.builder().withToolchain("hatchling.build", Optional.of("1.21.0"), Optional.of("3.11.2")));
        StoredBuild failed = identified.endedAt(Optional.of("broken"), T0.plusSeconds(3));

        assertThat(store.updateBuild(running)).isTrue();
        assertThat(store.build(name("demo"), version("1.0")).orElseThrow().builder())
                .isEqualTo(BuilderIdentity.host("replica-a"));
        assertThat(store.updateBuild(failed)).isTrue();
        assertThat(store.build(name("demo"), version("1.0")).orElseThrow().builder())
                .isEqualTo(new BuilderIdentity(
                        Optional.of("replica-a"),
                        Optional.of("hatchling.build"),
                        Optional.of("1.21.0"),
                        Optional.of("3.11.2")));
        assertThat(store.builds(name("demo"))).containsExactly(micros(failed));
        StoredBuild again = failed.requeuedAt(T0.plusSeconds(10)).startedAt("v1.0", "a".repeat(40), T0, "replica-b");
        assertThat(store.updateBuild(again)).isTrue();
        assertThat(store.build(name("demo"), version("1.0")).orElseThrow().builder())
                .isEqualTo(BuilderIdentity.host("replica-b"));
    }

    @Test
    void recent_builds_are_the_most_recently_queued_of_every_project() {
        store.addBuild(build("demo", "1.0", "succeeded", T0));
        store.addBuild(build("other", "1.0", "failed", T0.plusSeconds(1)));
        store.addBuild(build("demo", "2.0", "running", T0.plusSeconds(2)));
        store.addBuild(build("third", "0.1", "queued", T0.plusSeconds(3)));

        assertThat(store.recentBuilds(3))
                .extracting(b -> b.project().normalized() + " " + b.version().normalized() + " "
                        + b.status().label())
                .containsExactly("third 0.1 queued", "demo 2.0 running", "other 1.0 failed");
        assertThat(store.recentBuilds(10)).hasSize(4);
        assertThat(store.recentBuilds(0)).isEmpty();
    }
}

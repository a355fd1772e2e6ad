package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.builds.InMemoryBuilds;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page request of a git-backed project waits for the builds of it this process queued and has not seen finish,
 * however long ago they were queued: pip asks for the pages of a cold install one after another, each waiting for its
 * build, so the last page may come long after its build was queued (GitReleasesIT's cold install of six projects).
 */
class GitReleasesWaitTest {
    private static final String URL = "https://git.example.com/acme/demo.git";
    private static final ProjectName DEMO = ProjectName.parse("demo");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CountingRepository remote = new CountingRepository().listingReleases();

    @Test
    void a_page_request_waits_for_an_unfinished_build_queued_long_before_it() throws Exception {
        InMemoryBuilds builds = new InMemoryBuilds(dir.resolve("builds"));
        GitReleases releases = releases(builds, Duration.ofSeconds(10));
        queueDemo(releases);
        assertThat(builds.submissionsOf("demo", "1.0.0")).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30)); // pip reached this page 30 s after the build was queued

        CompletableFuture<Void> finishing = CompletableFuture.runAsync(
                () -> end(builds), CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
        long t0 = System.nanoTime();
        releases.awaitQueued(DEMO, clock.instant().plusSeconds(5));
        Duration waited = Duration.ofNanos(System.nanoTime() - t0);
        finishing.get();

        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(builds.await("demo", "1.0.0", Duration.ZERO))
                .map(b -> b.status().isFinished())
                .hasValue(true);
    }

    @Test
    void a_build_seen_finished_is_not_waited_for_again() throws Exception {
        InMemoryBuilds builds = new InMemoryBuilds(dir.resolve("builds"));
        GitReleases releases = releases(builds, Duration.ofSeconds(10));
        queueDemo(releases);
        end(builds);

        releases.awaitQueued(DEMO, clock.instant().plusSeconds(5));
        long t0 = System.nanoTime();
        releases.awaitQueued(DEMO, clock.instant().plusSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(200));
    }

    /** The remote gets tag v1.0.0, the mirror fetches it, and the scan queues the build of demo 1.0.0. */
    private void queueDemo(GitReleases releases) {
        remote.push(Map.of("v1.0.0", "1111111111111111111111111111111111111111"));
        remote.fetch(URL, Set.of());
        releases.scan(URL);
    }

    /** Ends every queued build: failed, since this remote has no commits to export (an end all the same). */
    private static void end(InMemoryBuilds builds) {
        try {
            builds.completeAll();
        } catch (RuntimeException noTree) {
            // the build is recorded as failed before this is thrown
        }
    }

    private GitReleases releases(InMemoryBuilds builds, Duration rememberQueued) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir.resolve("builds"));
        ProjectSources sources = new ProjectSources(
                List.of(new ProjectSource(DEMO, URL, Optional.empty(), Optional.empty(), ProjectSource.Origin.CONFIG)),
                List.of(),
                Optional.empty(),
                remote,
                clock,
                Duration.ofMinutes(1));
        return new GitReleases(new GitMirrors(sources, remote), builds, (p, v, r) -> {}, clock, rememberQueued);
    }
}

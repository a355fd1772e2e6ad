package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.builds.InMemoryBuilds;
import dev.wheelwright.python.ProjectName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #9: {@code git.check-interval} caps the tag checks ({@code ls-remote}) page requests cost a git host. */
class MirrorRefreshCheckTest {
    private static final String URL = "https://git.example.com/acme/demo.git";
    private static final Duration LISTING_WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final CountingRepository remote = new CountingRepository();

    @Test
    void with_no_interval_every_page_request_has_a_check_of_its_own() {
        try (MirrorRefresh refresh = refresh(Duration.ZERO)) {
            for (int i = 0; i < 30; i++) {
                refresh.onDemand(URL, deadline());
            }

            assertThat(refresh.checks(URL)).isEqualTo(30);
            assertThat(remote.checks.get()).isEqualTo(30);
        }
    }

    @Test
    void a_busy_project_costs_its_remote_one_check_per_interval() throws Exception {
        Duration interval = Duration.ofMillis(400);
        Duration busy = Duration.ofMillis(2000);

        long t0 = System.nanoTime();
        int requests;
        try (MirrorRefresh refresh = refresh(interval)) {
            requests = hammer(refresh, busy);
        }
        long elapsed = Duration.ofNanos(System.nanoTime() - t0).toMillis();

        // without the interval each of these requests has a check of its own (the test above)
        assertThat(requests).isGreaterThan(8);
        assertThat(remote.checks.get()).isBetween(2, (int) (elapsed / interval.toMillis()) + 1);
    }

    @Test
    void a_tag_pushed_within_the_interval_is_seen_by_the_next_request_once_the_interval_has_passed() {
        Duration interval = Duration.ofMillis(600);
        try (MirrorRefresh refresh = refresh(interval)) {
            refresh.onDemand(URL, deadline());
            remote.push(Map.of("v1.0.0", "1111111111111111111111111111111111111111"));

            long t0 = System.nanoTime();
            refresh.onDemand(URL, deadline());
            Duration waited = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(remote.fetches.get()).isEqualTo(1);
            assertThat(remote.checks.get()).isEqualTo(2);
            assertThat(waited).isGreaterThan(interval.dividedBy(2)).isLessThan(LISTING_WAIT);
        }
    }

    @Test
    void a_check_that_cannot_start_within_the_listing_wait_is_not_waited_for_but_still_runs() throws Exception {
        Duration interval = Duration.ofMillis(1500);
        try (MirrorRefresh refresh = refresh(interval)) {
            refresh.onDemand(URL, deadline());
            remote.push(Map.of("v1.0.0", "1111111111111111111111111111111111111111"));

            long t0 = System.nanoTime();
            refresh.onDemand(URL, Instant.now().plusMillis(200));
            Duration waited = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(waited).isLessThan(Duration.ofMillis(200));
            assertThat(remote.fetches.get()).isZero();
            Instant until = Instant.now().plusSeconds(10);
            while (remote.fetches.get() == 0 && Instant.now().isBefore(until)) {
                Thread.sleep(20);
            }
            assertThat(remote.fetches.get()).isEqualTo(1);
            assertThat(remote.checks.get()).isEqualTo(2);
        }
    }

    /** Four callers asking for pages back to back for {@code busy}; the number of requests they made. */
    private static int hammer(MirrorRefresh refresh, Duration busy) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Instant end = Instant.now().plus(busy);
        List<Future<Integer>> callers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                callers.add(pool.submit(() -> {
                    int n = 0;
                    while (Instant.now().isBefore(end)) {
                        refresh.onDemand(URL, Instant.now().plus(LISTING_WAIT));
                        n++;
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> f : callers) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Instant deadline() {
        return Instant.now().plus(LISTING_WAIT);
    }

    private MirrorRefresh refresh(Duration checkInterval) {
        ProjectSources sources = new ProjectSources(
                List.of(new ProjectSource(
                        ProjectName.parse("demo"),
                        URL,
                        Optional.empty(),
                        Optional.empty(),
                        ProjectSource.Origin.CONFIG)),
                List.of(),
                Optional.empty(),
                remote,
                Clock.systemUTC(),
                Duration.ofMinutes(1));
        GitMirrors mirrors = new GitMirrors(sources, remote);
        GitReleases releases = new GitReleases(
                mirrors,
                new InMemoryBuilds(dir.resolve("builds")),
                (p, v, r) -> {},
                Clock.systemUTC(),
                Duration.ofSeconds(10));
        return new MirrorRefresh(
                mirrors,
                releases,
                Clock.systemUTC(),
                Duration.ZERO,
                checkInterval,
                new SimpleMeterRegistry(),
                u -> true);
    }
}

package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.builds.InMemoryBuilds;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.InMemoryLeases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #11: replicas sharing a store take turns at the periodic fetch of a repository. */
class MirrorRefreshPollTest {
    private static final String URL = "https://git.example.com/acme/demo.git";
    private static final Duration POLL = Duration.ofMillis(400);

    @TempDir
    Path dir;

    @Test
    void two_replicas_fetch_a_repository_once_per_poll_interval_between_them() throws Exception {
        InMemoryLeases leases = new InMemoryLeases();
        CountingRepository a = new CountingRepository();
        CountingRepository b = new CountingRepository();

        long t0 = System.nanoTime();
        try (MirrorRefresh first = refresh(a, turns(leases, "replica-a"));
                MirrorRefresh second = refresh(b, turns(leases, "replica-b"))) {
            first.start();
            second.start();
            Thread.sleep(4000);
        }
        long intervals = Duration.ofNanos(System.nanoTime() - t0).toMillis() / POLL.toMillis();

        int total = a.fetches.get() + b.fetches.get();
        // each fetches once at start; after that one fetch per interval between them (without turns: two), fewer
        // when the machine is too busy to poll on time
        assertThat(a.fetches.get()).isPositive();
        assertThat(b.fetches.get()).isPositive();
        assertThat(total).isBetween(3, 2 + (int) intervals + 1);
    }

    @Test
    void a_replica_alone_fetches_every_interval() throws Exception {
        CountingRepository alone = new CountingRepository();

        long t0 = System.nanoTime();
        try (MirrorRefresh refresh = refresh(alone, turns(new InMemoryLeases(), "replica-a"))) {
            refresh.start();
            Thread.sleep(2000);
        }
        long intervals = Duration.ofNanos(System.nanoTime() - t0).toMillis() / POLL.toMillis();

        assertThat(alone.fetches.get()).isBetween(2, (int) intervals + 2);
    }

    private static Predicate<String> turns(InMemoryLeases leases, String owner) {
        return url -> {
            Instant now = Instant.now();
            return leases.acquire(
                    "git-poll:" + GitUrls.key(url),
                    owner,
                    now,
                    now.plus(POLL.multipliedBy(9).dividedBy(10)));
        };
    }

    private MirrorRefresh refresh(SourceRepository repository, Predicate<String> turn) {
        ProjectSources sources = new ProjectSources(
                List.of(new ProjectSource(
                        ProjectName.parse("demo"),
                        URL,
                        Optional.empty(),
                        Optional.empty(),
                        ProjectSource.Origin.CONFIG)),
                List.of(),
                Optional.empty(),
                repository,
                Clock.systemUTC(),
                Duration.ofMinutes(1));
        GitMirrors mirrors = new GitMirrors(sources, repository);
        GitReleases releases = new GitReleases(
                mirrors, new InMemoryBuilds(dir.resolve("builds")), Clock.systemUTC(), Duration.ofSeconds(10));
        return new MirrorRefresh(mirrors, releases, Clock.systemUTC(), POLL, new SimpleMeterRegistry(), turn);
    }

    /** A remote with no tags that counts the fetches of its mirror. */
    private static final class CountingRepository implements SourceRepository {
        final AtomicInteger fetches = new AtomicInteger();

        @Override
        public void fetch(String url) {
            fetches.incrementAndGet();
        }

        @Override
        public boolean exists(String url) {
            return true;
        }

        @Override
        public Map<String, String> remoteTags(String url) {
            return Map.of();
        }

        @Override
        public Map<String, String> mirroredTags(String url) {
            return Map.of();
        }

        @Override
        public List<GitTag> tags(String url) {
            return List.of();
        }

        @Override
        public Map<String, String> firstSeen(String url) {
            return Map.of();
        }

        @Override
        public java.util.Set<String> deletedTags(String url) {
            return java.util.Set.of();
        }

        @Override
        public void recordFirstSeen(String url, Map<String, String> tags) {}

        @Override
        public dev.wheelwright.builds.SourceTree tree(String url) {
            return new dev.wheelwright.builds.SourceTree() {
                @Override
                public java.time.Instant exportTo(String commit, java.nio.file.Path target) {
                    throw new SourceExportException("no trees here");
                }

                @Override
                public String repository() {
                    return url;
                }

                @Override
                public java.util.Optional<String> tagObject(String tag, String commit) {
                    return java.util.Optional.empty();
                }
            };
        }
    }
}

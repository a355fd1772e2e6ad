package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Records, instants and a concurrency runner shared by the storage contracts and the backends' own tests. */
public final class StorageFixtures {
    /** Has sub-microsecond digits, which stores drop. */
    public static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123456789Z");

    private StorageFixtures() {}

    public static ProjectName name(String name) {
        return ProjectName.parse(name);
    }

    public static Version version(String version) {
        return Version.parse(version);
    }

    /** A build of {@code v<version>} in the given status ({@code queued}, ...), with times that fit it. */
    public static StoredBuild build(String project, String version, String status, Instant queued) {
        boolean finished = status.equals("succeeded") || status.equals("failed");
        return new StoredBuild(
                name(project),
                version(version),
                "v" + version,
                "a".repeat(40),
                BuildStatus.ofLabel(status),
                status.equals("failed") ? Optional.of("it failed") : Optional.empty(),
                queued,
                status.equals("queued") ? Optional.empty() : Optional.of(queued.plusMillis(1500)),
                finished ? Optional.of(queued.plusSeconds(3)) : Optional.empty(),
                BuilderIdentity.UNKNOWN);
    }

    public static StoredBuild micros(StoredBuild b) {
        return new StoredBuild(
                b.project(),
                b.version(),
                b.tag(),
                b.commit(),
                b.status(),
                b.reason(),
                micros(b.queued()),
                b.started().map(StorageFixtures::micros),
                b.finished().map(StorageFixtures::micros),
                b.builder());
    }

    public static StoredFile wheel(String project, String version, Instant uploadTime) {
        String filename = project.replace('-', '_') + "-" + version + "-py3-none-any.whl";
        return new StoredFile(
                name(project),
                version(version),
                filename,
                PackageType.BDIST_WHEEL,
                1234,
                sha(filename),
                BlobKey.of("b/" + filename),
                Optional.of(">=3.8"),
                Optional.of(sha(filename + ".metadata")),
                Optional.of(BlobKey.of("b/" + filename + ".metadata")),
                uploadTime,
                Optional.empty(),
                "ci");
    }

    public static StoredFile sdist(String project, String version, Instant uploadTime) {
        String filename = project + "-" + version + ".tar.gz";
        return new StoredFile(
                name(project),
                version(version),
                filename,
                PackageType.SDIST,
                4321,
                sha(filename),
                BlobKey.of("b/" + filename),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                uploadTime,
                Optional.empty(),
                "ci");
    }

    public static TokenRecord token(
            String id,
            String name,
            List<String> scopes,
            Optional<String> glob,
            Optional<Instant> expires,
            Optional<Instant> lastUsed) {
        return new TokenRecord(id, name, "5a17", sha(id), scopes, glob, T0, expires, lastUsed);
    }

    /** The record as a store gives it back: instants truncated to microseconds. */
    public static StoredFile stored(StoredFile f) {
        return new StoredFile(
                f.project(),
                f.version(),
                f.filename(),
                f.packagetype(),
                f.size(),
                f.sha256(),
                f.blob(),
                f.requiresPython(),
                f.metadataSha256(),
                f.metadataBlob(),
                micros(f.uploadTime()),
                f.yankedReason(),
                f.uploadedBy());
    }

    public static TokenRecord micros(TokenRecord t) {
        return new TokenRecord(
                t.id(),
                t.name(),
                t.salt(),
                t.secretHash(),
                t.scopes(),
                t.projectGlob(),
                micros(t.created()),
                t.expires().map(StorageFixtures::micros),
                t.lastUsed().map(StorageFixtures::micros));
    }

    public static CachedUpstreamFile micros(CachedUpstreamFile f) {
        return new CachedUpstreamFile(f.filename(), f.project(), f.sha256(), f.size(), f.blob(), micros(f.cached()));
    }

    public static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static String sha(String seed) {
        String hex = Integer.toHexString(seed.hashCode() & 0x7fffffff);
        return (hex + "0".repeat(64)).substring(0, 64);
    }

    /** A task run by several threads at once. */
    @FunctionalInterface
    public interface Task<T> {
        T run(int thread) throws Exception;
    }

    /** Runs the task on {@code threads} threads released together; returns results in thread order. */
    public static <T> List<T> concurrently(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                Callable<T> call = () -> {
                    ready.countDown();
                    go.await();
                    return task.run(thread);
                };
                futures.add(pool.submit(call));
            }
            ready.await(30, TimeUnit.SECONDS);
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.wheelwright.builds;

import dev.wheelwright.python.Version;
import dev.wheelwright.testing.Wheels;
import dev.wheelwright.upload.UploadService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A {@link Builds} double: records every submission, builds nothing by itself. A build is completed by
 * {@link #complete} (or at once, on another thread, with {@link #completeAutomatically}): it exports the tagged tree
 * through the request's {@link SourceTree} (so tests see what a build would get) and stores a small wheel of the
 * release through {@link UploadService#importFile}, so pages list it like a built release.
 */
public final class InMemoryBuilds implements Builds {
    private final Path work;
    private final List<BuildRequest> submissions = new CopyOnWriteArrayList<>();
    private final Map<String, BuildRecord> records = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<BuildRecord>> done = new ConcurrentHashMap<>();
    private final Map<String, List<String>> exported = new ConcurrentHashMap<>();
    private volatile UploadService uploads;
    private volatile boolean automatic;
    private volatile Duration buildTime = Duration.ZERO;

    public InMemoryBuilds(Path work) {
        this.work = work;
    }

    /** Where completed builds store their wheel; returns this, for {@code uploads -> builds.storingWith(uploads)}. */
    public InMemoryBuilds storingWith(UploadService uploads) {
        this.uploads = uploads;
        return this;
    }

    /** Every later submission completes at once, on another thread. */
    public InMemoryBuilds completeAutomatically() {
        this.automatic = true;
        return this;
    }

    /** Every later submission completes on another thread {@code buildTime} after it was submitted. */
    public InMemoryBuilds completeAutomatically(Duration buildTime) {
        this.buildTime = buildTime;
        this.automatic = true;
        return this;
    }

    @Override
    public BuildRecord submit(BuildRequest request) {
        String key = key(request.project().normalized(), request.version().normalized());
        BuildRecord record = new BuildRecord(
                request.project().normalized(),
                request.version().normalized(),
                request.tag(),
                request.commit(),
                BuildRecord.Status.QUEUED,
                Optional.empty(),
                Instant.now(),
                Optional.empty(),
                Optional.empty(),
                BuildRecord.Builder.UNKNOWN);
        BuildRecord existing = records.putIfAbsent(key, record);
        if (existing != null) {
            return existing;
        }
        done.put(key, new CompletableFuture<>());
        submissions.add(request);
        if (automatic) {
            CompletableFuture.runAsync(
                    () -> complete(request),
                    CompletableFuture.delayedExecutor(buildTime.toMillis(), TimeUnit.MILLISECONDS));
        }
        return record;
    }

    /** Completes the build of a submitted request: exports its tree, stores a wheel, marks it succeeded. */
    public void complete(BuildRequest request) {
        String project = request.project().normalized();
        String version = request.version().normalized();
        try {
            Path dir = Files.createTempDirectory(work, "build-");
            Path tree = dir.resolve("tree");
            request.source().exportTo(request.commit(), tree);
            try (Stream<Path> files = Files.walk(tree)) {
                exported.put(
                        key(project, version),
                        files.filter(Files::isRegularFile)
                                .map(p -> tree.relativize(p).toString())
                                .sorted()
                                .toList());
            }
            if (uploads != null) {
                Path out = Files.createDirectories(dir.resolve("dist"));
                uploads.importFile(Wheels.simple(out, project, version, "2.1"), "build");
            }
            finish(project, version, BuildRecord.Status.SUCCEEDED, Optional.empty());
        } catch (IOException e) {
            finish(project, version, BuildRecord.Status.FAILED, Optional.of(e.getMessage()));
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            finish(project, version, BuildRecord.Status.FAILED, Optional.of(String.valueOf(e.getMessage())));
            throw e;
        }
    }

    /** Completes every submitted build that is still queued. */
    public void completeAll() {
        for (BuildRequest r : submissions) {
            if (records.get(key(r.project().normalized(), r.version().normalized()))
                            .status()
                    == BuildRecord.Status.QUEUED) {
                complete(r);
            }
        }
    }

    private void finish(String project, String version, BuildRecord.Status status, Optional<String> reason) {
        String key = key(project, version);
        BuildRecord r = records.get(key);
        BuildRecord finished = new BuildRecord(
                r.project(),
                r.version(),
                r.tag(),
                r.commit(),
                status,
                reason,
                r.queued(),
                Optional.of(Instant.now()),
                Optional.of(Instant.now()),
                BuildRecord.Builder.UNKNOWN);
        records.put(key, finished);
        done.get(key).complete(finished);
    }

    @Override
    public Optional<BuildRecord> await(String project, String version, Duration timeout) {
        String key = key(project, Version.parse(version).normalized());
        CompletableFuture<BuildRecord> f = done.get(key);
        if (f == null) {
            return Optional.empty();
        }
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still queued: the record says so
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public List<BuildRecord> builds(String project) {
        List<BuildRecord> list = new ArrayList<>();
        for (BuildRecord r : records.values()) {
            if (r.project().equals(project)) {
                list.add(r);
            }
        }
        list.sort(Comparator.comparing((BuildRecord r) -> Version.parse(r.version()))
                .reversed());
        return list;
    }

    /** Every submission, in order. */
    public List<BuildRequest> submissions() {
        return List.copyOf(submissions);
    }

    /** The submissions of one project's version. */
    public long submissionsOf(String project, String version) {
        return submissions.stream()
                .filter(r ->
                        r.project().normalized().equals(project) && r.version().equals(Version.parse(version)))
                .count();
    }

    /** The files of the tree a completed build exported, relative to its root. */
    public List<String> exportedFiles(String project, String version) {
        return exported.getOrDefault(key(project, version), List.of());
    }

    private static String key(String project, String version) {
        return project + "\n" + version;
    }
}

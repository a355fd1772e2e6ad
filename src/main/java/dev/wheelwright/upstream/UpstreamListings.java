package dev.wheelwright.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.python.WheelFilename;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.CachedUpstreamFile;
import dev.wheelwright.storage.UpstreamCache;
import dev.wheelwright.storage.UpstreamSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream listings cache: a project's page from the configured upstream indexes in order (the first that knows a
 * project serves all of it; upstreams are never merged with each other), kept in memory and in the
 * {@link UpstreamCache} (surviving restarts) for the listing TTL, then revalidated with the upstream's ETag /
 * Last-Modified; when every upstream fails, the stale copy is served. Concurrent refreshes of one project are one
 * upstream request. Files in quarantine are neither listed nor served. Whether a name may be asked upstream at all is
 * the index's decision, not this class's. Thread-safe.
 */
final class UpstreamListings {
    private static final Logger log = LoggerFactory.getLogger(UpstreamListings.class);
    private static final Duration ERROR_RETRY = Duration.ofSeconds(30);

    /** A visible file of a listed project and the upstream that lists it. */
    record Source(UpstreamFile file, UpstreamIndex upstream) {}

    private final List<UpstreamIndex> upstreams;
    private final UpstreamCache store;
    private final Clock clock;
    private final UpstreamService.Settings settings;
    private final UpstreamMetrics metrics;
    private final SnapshotCodec codec;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Entry>> refreshes = new ConcurrentHashMap<>();
    private final AtomicLong revisions = new AtomicLong();

    UpstreamListings(
            List<UpstreamIndex> upstreams,
            UpstreamCache store,
            Clock clock,
            UpstreamService.Settings settings,
            UpstreamMetrics metrics,
            ObjectMapper json) {
        this.upstreams = List.copyOf(upstreams);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.metrics = Objects.requireNonNull(metrics);
        this.codec = new SnapshotCodec(json);
    }

    /** Whether any upstream is configured, or the proxy serves its cache offline. */
    boolean enabled() {
        return !upstreams.isEmpty() || settings.offline();
    }

    /**
     * The upstream listing of a project; empty when no upstream has it or (offline) when it is not cached.
     *
     * @throws UpstreamUnavailableException when no upstream could answer and nothing is cached
     */
    public Optional<ProxiedListing> listing(ProjectName name) {
        return entry(name).flatMap(e -> e.listing(clock.instant()));
    }

    /** A file the project's listing shows now (not in quarantine), with the upstream it comes from. */
    Optional<Source> visibleFile(ProjectName project, String filename) {
        Optional<Entry> entry = entry(project);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        return entry.get()
                .visibleFile(filename, clock.instant())
                .map(f -> new Source(f, upstreamNamed(entry.get().snapshot.upstream())));
    }

    /** The cached file {@code filename} of {@code project}, when the cache has its bytes. */
    Optional<CachedUpstreamFile> cachedFile(ProjectName project, String filename) {
        return store.cachedUpstreamFile(filename).filter(f -> f.project().equals(project));
    }

    /**
     * Records that the bytes of {@code filename} ({@code size} bytes, sha256 {@code sha256}) are stored under
     * {@code blob}, and has the project's listing rebuilt (sizes and metadata may now be known). Returns the record the
     * cache keeps: an earlier one when a concurrent fetch recorded the file first.
     */
    CachedUpstreamFile recordCached(ProjectName project, String filename, String sha256, long size, BlobKey blob) {
        CachedUpstreamFile record = new CachedUpstreamFile(filename, project, sha256, size, blob, clock.instant());
        Optional<CachedUpstreamFile> existing = store.addCachedUpstreamFile(record);
        Entry e = entries.get(project.normalized());
        if (e != null) {
            e.invalidate();
        }
        return existing.orElse(record);
    }

    private Optional<Entry> entry(ProjectName name) {
        if (!enabled()) {
            return Optional.empty();
        }
        String key = name.normalized();
        Entry current = entries.computeIfAbsent(key, this::loadSnapshot);
        Instant now = clock.instant();
        if (current.found() && (settings.offline() || now.isBefore(current.freshUntil))) {
            metrics.cache("listing", true);
            return Optional.of(current);
        }
        if (settings.offline()) {
            metrics.cache("listing", false);
            return Optional.empty();
        }
        if (!current.found() && current.freshUntil != null && now.isBefore(current.freshUntil)) {
            metrics.cache("listing", true);
            return Optional.empty(); // a recent "not found anywhere"
        }
        metrics.cache("listing", false);
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> running = refreshes.putIfAbsent(key, mine);
        if (running == null) {
            try {
                Entry fresh = refresh(name, current);
                entries.put(key, fresh);
                mine.complete(fresh);
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            } finally {
                refreshes.remove(key, mine);
            }
            running = mine;
        }
        Entry result;
        try {
            result = running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("Interrupted while fetching project " + key + ".", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WheelwrightException w) {
                throw w;
            }
            throw new UpstreamUnavailableException("Fetching project " + key + " from upstream failed.", e.getCause());
        }
        return result.found() ? Optional.of(result) : Optional.empty();
    }

    private Entry loadSnapshot(String key) {
        Optional<UpstreamSnapshot> snapshot = store.upstreamSnapshot(ProjectName.parse(key));
        if (snapshot.isEmpty()) {
            return missing(key, null);
        }
        UpstreamSnapshot s = snapshot.get();
        SnapshotCodec.Decoded decoded = codec.decode(s.body());
        return new Entry(
                key, s, decoded.files(), decoded.versions(), s.fetched().plus(settings.listingTtl()));
    }

    private Entry refresh(ProjectName name, Entry previous) {
        String key = name.normalized();
        List<UpstreamUnavailableException> failures = new ArrayList<>();
        Instant now = clock.instant();
        for (UpstreamIndex upstream : upstreams) {
            boolean same = previous.found() && previous.snapshot.upstream().equals(upstream.name());
            Optional<String> etag = same ? previous.snapshot.etag() : Optional.empty();
            Optional<String> lastModified = same ? previous.snapshot.lastModified() : Optional.empty();
            long start = System.nanoTime();
            UpstreamIndex.PageFetch fetch;
            try {
                fetch = upstream.page(name, etag, lastModified);
                metrics.request(upstream.name(), "page", System.nanoTime() - start, false);
            } catch (UpstreamUnavailableException e) {
                metrics.request(upstream.name(), "page", System.nanoTime() - start, true);
                log.warn("upstream {} failed for project {}: {}", upstream.name(), key, e.getMessage());
                failures.add(e);
                continue;
            }
            if (fetch instanceof UpstreamIndex.Found found) {
                UpstreamSnapshot snapshot = new UpstreamSnapshot(
                        name,
                        upstream.name(),
                        codec.encode(found.page()),
                        found.page().etag(),
                        found.page().lastModified(),
                        now);
                store.putUpstreamSnapshot(snapshot);
                return new Entry(
                        key, snapshot, found.page().files(), found.page().versions(), now.plus(settings.listingTtl()));
            }
            if (fetch instanceof UpstreamIndex.NotModified && same) {
                UpstreamSnapshot s = previous.snapshot;
                UpstreamSnapshot touched =
                        new UpstreamSnapshot(name, s.upstream(), s.body(), s.etag(), s.lastModified(), now);
                store.putUpstreamSnapshot(touched);
                return previous.confirmed(touched, now.plus(settings.listingTtl()));
            }
        }
        if (!failures.isEmpty()) {
            if (previous.found()) {
                log.warn(
                        "serving the cached page of {} from {}: no upstream answered",
                        key,
                        previous.snapshot.fetched());
                return previous.confirmed(previous.snapshot, now.plus(min(settings.listingTtl(), ERROR_RETRY)));
            }
            throw new UpstreamUnavailableException("No upstream index could be reached for project " + key
                    + " and nothing is cached: " + failures.get(0).getMessage());
        }
        if (previous.found()) {
            store.deleteUpstreamSnapshot(name);
        }
        return missing(key, now.plus(min(settings.listingTtl(), ERROR_RETRY)));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private UpstreamIndex upstreamNamed(String name) {
        return upstreams.stream()
                .filter(u -> u.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new UpstreamUnavailableException(
                        "The cached page came from upstream " + name + ", which is no longer configured."));
    }

    /** One project's upstream state: found (with its snapshot) or known missing. */
    private final class Entry {
        private final String project;
        private final UpstreamSnapshot snapshot;
        private final List<UpstreamFile> files;
        private final List<String> pageVersions;
        private final Instant freshUntil;
        private volatile ProxiedListing built;
        private volatile Instant builtValidUntil;

        Entry(
                String project,
                UpstreamSnapshot snapshot,
                List<UpstreamFile> files,
                List<String> versions,
                Instant freshUntil) {
            this.project = project;
            this.snapshot = snapshot;
            this.files = files;
            this.pageVersions = versions;
            this.freshUntil = freshUntil;
        }

        boolean found() {
            return snapshot != null;
        }

        Entry confirmed(UpstreamSnapshot s, Instant until) {
            return new Entry(project, s, files, pageVersions, until);
        }

        void invalidate() {
            built = null;
        }

        Optional<UpstreamFile> visibleFile(String filename, Instant now) {
            return files.stream()
                    .filter(f -> f.filename().equals(filename) && !quarantined(f, now))
                    .findFirst();
        }

        private boolean quarantined(UpstreamFile f, Instant now) {
            return !settings.quarantine().isZero()
                    && f.uploadTime()
                            .map(t -> t.plus(settings.quarantine()).isAfter(now))
                            .orElse(false);
        }

        Optional<ProxiedListing> listing(Instant now) {
            if (!found()) {
                return Optional.empty();
            }
            ProxiedListing current = built;
            if (current != null && (builtValidUntil == null || now.isBefore(builtValidUntil))) {
                return Optional.of(current);
            }
            Map<String, CachedUpstreamFile> cached = new HashMap<>();
            for (CachedUpstreamFile c : store.cachedUpstreamFiles(ProjectName.parse(project))) {
                cached.put(c.filename(), c);
            }
            List<ProxiedFile> listed = new ArrayList<>();
            TreeMap<Version, String> versions = new TreeMap<>();
            Instant validUntil = null;
            for (UpstreamFile f : files) {
                if (quarantined(f, now)) {
                    Instant release = f.uploadTime().get().plus(settings.quarantine());
                    validUntil = validUntil == null || release.isBefore(validUntil) ? release : validUntil;
                    continue;
                }
                DistributionFilename parsed;
                try {
                    parsed = DistributionFilename.parse(f.filename());
                } catch (WheelwrightException e) {
                    continue; // not a distribution we can serve under /files/
                }
                if (!parsed.name().normalized().equals(project)) {
                    continue;
                }
                versions.putIfAbsent(parsed.version(), parsed.version().normalized());
                Optional<Long> size = f.size()
                        .or(() -> Optional.ofNullable(cached.get(f.filename())).map(CachedUpstreamFile::size));
                CachedUpstreamFile metadata = cached.get(f.filename() + ".metadata");
                Optional<String> metadataSha = f.coreMetadata().isPresent() && parsed instanceof WheelFilename
                        ? Optional.of(
                                metadata != null
                                        ? metadata.sha256()
                                        : f.coreMetadata().get())
                        : Optional.ofNullable(metadata).map(CachedUpstreamFile::sha256);
                listed.add(new ProxiedFile(
                        project,
                        f.filename(),
                        f.sha256(),
                        f.requiresPython(),
                        f.yanked(),
                        metadataSha,
                        size,
                        f.uploadTime()));
            }
            for (String v : pageVersions) {
                try {
                    Version parsed = Version.parse(v);
                    boolean held = files.stream()
                            .anyMatch(f -> quarantined(f, now) && versionOf(f).equals(Optional.of(parsed)));
                    if (!held) {
                        versions.putIfAbsent(parsed, parsed.normalized());
                    }
                } catch (WheelwrightException e) {
                    // a legacy, non-PEP 440 version: no file of ours can carry it
                }
            }
            ProxiedListing listing = new ProxiedListing(
                    project, snapshot.upstream(), revisions.incrementAndGet(), listed, List.copyOf(versions.values()));
            builtValidUntil = validUntil;
            built = listing;
            return Optional.of(listing);
        }
    }

    private static Optional<Version> versionOf(UpstreamFile f) {
        try {
            return Optional.of(DistributionFilename.parse(f.filename()).version());
        } catch (WheelwrightException e) {
            return Optional.empty();
        }
    }

    /** A project no upstream has (until {@code until}; null: never asked). */
    private Entry missing(String project, Instant until) {
        return new Entry(project, null, List.of(), List.of(), until);
    }
}

package dev.wheelwright.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.DistributionArchive;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.python.WheelFilename;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.CachedUpstreamFile;
import dev.wheelwright.storage.UpstreamCache;
import dev.wheelwright.storage.UpstreamSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream proxy: project pages and files of names that are not local, from the configured upstream indexes in
 * order (the first that knows a project serves all of it; upstreams are never merged with each other).
 *
 * <p>Listings are cached in memory and in the {@link UpstreamCache} (surviving restarts) for the listing TTL, then
 * revalidated with the upstream's ETag / Last-Modified; when every upstream fails, the stale copy is served. Files are
 * fetched on first request by one upstream request however many clients ask at once (single flight), streamed to
 * those clients while being written to a temporary file, verified against the upstream's sha256 and only then stored
 * content-addressed in the {@link BlobStore} and recorded. A local name (as the {@code local} predicate says) is never
 * served from upstream unless it is listed in {@code allowUpstream}. Thread-safe.
 */
public final class UpstreamService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamService.class);
    private static final int MAX_METADATA_BYTES = DistributionArchive.MAX_METADATA_BYTES;
    private static final Duration ERROR_RETRY = Duration.ofSeconds(30);

    /** How the proxy behaves, from {@code proxy.*}. */
    public record Settings(Duration listingTtl, boolean offline, Duration quarantine, Set<String> allowUpstream) {
        public Settings {
            Objects.requireNonNull(listingTtl);
            Objects.requireNonNull(quarantine);
            allowUpstream = allowUpstream.stream().map(ProjectName::normalize).collect(Collectors.toUnmodifiableSet());
        }
    }

    /** How a file is delivered: from the cache, or streamed while the single upstream fetch runs. */
    public sealed interface Delivery permits Cached, Streaming {}

    /** The file is in the blob store. */
    public record Cached(CachedUpstreamFile file) implements Delivery {}

    /**
     * The file is being fetched: {@code body} yields the bytes as they arrive, ends only after the whole file
     * matched {@code sha256} and was stored, and fails with an {@code IOException} when the fetch fails or the hash
     * does not match. The receiver closes it.
     */
    public record Streaming(InputStream body, Optional<Long> size, String sha256) implements Delivery {}

    private final List<UpstreamIndex> upstreams;
    private final UpstreamCache store;
    private final BlobStore blobs;
    private final Path tmpDir;
    private final Clock clock;
    private final Settings settings;
    private final Predicate<ProjectName> local;
    private final UpstreamMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Entry>> refreshes = new ConcurrentHashMap<>();
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final AtomicLong revisions = new AtomicLong();
    private final ExecutorService fetchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "upstream-fetch");
        t.setDaemon(true);
        return t;
    });

    public UpstreamService(
            List<UpstreamIndex> upstreams,
            UpstreamCache store,
            BlobStore blobs,
            Path tmpDir,
            Clock clock,
            Settings settings,
            Predicate<ProjectName> local,
            UpstreamMetrics metrics) {
        this.upstreams = List.copyOf(upstreams);
        this.store = Objects.requireNonNull(store);
        this.blobs = Objects.requireNonNull(blobs);
        this.tmpDir = Objects.requireNonNull(tmpDir);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.local = Objects.requireNonNull(local);
        this.metrics = Objects.requireNonNull(metrics);
    }

    public UpstreamMetrics metrics() {
        return metrics;
    }

    /** Whether upstream files may be listed under this name: it is not local, or it is opted in to merging. */
    public boolean serves(ProjectName name) {
        if (upstreams.isEmpty() && !settings.offline()) {
            return false;
        }
        return settings.allowUpstream().contains(name.normalized()) || !local.test(name);
    }

    /** Whether this local name is opted in to merging upstream files into its page. */
    public boolean merges(ProjectName name) {
        return settings.allowUpstream().contains(name.normalized());
    }

    /**
     * The upstream listing of a project; empty when no upstream has it, when the name is local and not opted in,
     * or (offline) when it is not cached.
     *
     * @throws UpstreamUnavailableException when no upstream could answer and nothing is cached
     */
    public Optional<ProxiedListing> listing(ProjectName name) {
        return entry(name).flatMap(e -> e.listing(clock.instant()));
    }

    private Optional<Entry> entry(ProjectName name) {
        if (!serves(name)) {
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
        Parsed parsed = deserialize(s.body());
        return new Entry(key, s, parsed.files, parsed.versions, s.fetched().plus(settings.listingTtl()));
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
                        serialize(found.page()),
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

    // --- files

    /**
     * A file of an upstream project: from the cache, or fetched now (one upstream request for concurrent callers).
     *
     * @throws UpstreamNotFoundException when the project's upstream page does not list it (or, offline, it is not
     *     cached)
     * @throws UpstreamUnavailableException when the fetch cannot start
     */
    public Delivery file(ProjectName project, String filename) {
        Optional<CachedUpstreamFile> cached = cachedFile(project, filename);
        if (cached.isPresent()) {
            metrics.cache("file", true);
            return new Cached(cached.get());
        }
        if (settings.offline()) {
            throw new UpstreamNotFoundException("The file " + filename + " is not cached, and this index is offline.");
        }
        Entry entry = entry(project).orElseThrow(() -> noFile(project, filename));
        UpstreamFile source = entry.visibleFile(filename, clock.instant()).orElseThrow(() -> noFile(project, filename));
        UpstreamIndex upstream = upstreamNamed(entry.snapshot.upstream());
        metrics.cache("file", false);
        while (true) {
            Flight flight = flights.computeIfAbsent(filename, f -> {
                Flight created = new Flight(project.normalized(), source, upstream);
                fetchers.execute(created::run);
                return created;
            });
            Optional<Delivery> delivery = flight.follow();
            if (delivery.isPresent()) {
                return delivery.get();
            }
            // that flight finished before we could join it: the next is either the cache or a new flight
            Optional<CachedUpstreamFile> now = cachedFile(project, filename);
            if (now.isPresent()) {
                return new Cached(now.get());
            }
        }
    }

    /**
     * The PEP 658 metadata of an upstream wheel: cached, fetched from the upstream's {@code .metadata} when it has
     * one (verified against its hash when given), or extracted from the cached wheel.
     */
    public CachedUpstreamFile metadata(ProjectName project, String filename) {
        String name = filename + ".metadata";
        Optional<CachedUpstreamFile> cached = cachedFile(project, name);
        if (cached.isPresent()) {
            metrics.cache("metadata", true);
            return cached.get();
        }
        Optional<CachedUpstreamFile> wheel = cachedFile(project, filename);
        if (wheel.isPresent() && filename.endsWith(".whl")) {
            return extractMetadata(wheel.get()).orElseThrow(() -> noFile(project, name));
        }
        if (settings.offline()) {
            throw new UpstreamNotFoundException("The file " + name + " is not cached, and this index is offline.");
        }
        Entry entry = entry(project).orElseThrow(() -> noFile(project, name));
        UpstreamFile source = entry.visibleFile(filename, clock.instant()).orElseThrow(() -> noFile(project, name));
        if (source.coreMetadata().isEmpty() || !filename.endsWith(".whl")) {
            throw noFile(project, name);
        }
        metrics.cache("metadata", false);
        UpstreamIndex upstream = upstreamNamed(entry.snapshot.upstream());
        URI url = URI.create(source.url() + ".metadata");
        byte[] bytes;
        long start = System.nanoTime();
        try (UpstreamIndex.Download download = upstream.open(url)) {
            bytes = download.body().readNBytes(MAX_METADATA_BYTES + 1);
            metrics.request(upstream.name(), "metadata", System.nanoTime() - start, false);
        } catch (IOException | UpstreamUnavailableException e) {
            metrics.request(upstream.name(), "metadata", System.nanoTime() - start, true);
            throw new UpstreamUnavailableException(
                    "Cannot fetch " + name + " from upstream " + upstream.name() + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_METADATA_BYTES) {
            throw new UpstreamUnavailableException(
                    "Upstream " + upstream.name() + " sent over 16 MB for " + name + ".");
        }
        String sha = sha256(bytes);
        String expected = source.coreMetadata().get();
        if (!expected.isEmpty() && !expected.equals(sha)) {
            throw new UpstreamUnavailableException("Upstream " + upstream.name() + " sent " + name + " with sha256 "
                    + sha + ", but its page says " + expected + "; it was refused.");
        }
        return storeBytes(project, name, bytes);
    }

    private Optional<CachedUpstreamFile> cachedFile(ProjectName project, String filename) {
        return store.cachedUpstreamFile(filename).filter(f -> f.project().equals(project));
    }

    private UpstreamIndex upstreamNamed(String name) {
        return upstreams.stream()
                .filter(u -> u.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new UpstreamUnavailableException(
                        "The cached page came from upstream " + name + ", which is no longer configured."));
    }

    private static UpstreamNotFoundException noFile(ProjectName project, String filename) {
        return new UpstreamNotFoundException("No file " + filename + " in project " + project.normalized() + ".");
    }

    private Optional<CachedUpstreamFile> extractMetadata(CachedUpstreamFile wheel) {
        WheelFilename parsed = WheelFilename.parse(wheel.filename());
        Path temp = null;
        try (InputStream in = blobs.open(wheel.blob())
                .orElseThrow(() ->
                        new UpstreamNotFoundException("The cached bytes of " + wheel.filename() + " are missing."))) {
            temp = Files.createTempFile(tmpDir, "upstream-", ".whl");
            Files.copy(in, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            byte[] metadata = DistributionArchive.wheelMetadata(temp, parsed);
            return Optional.of(storeBytes(wheel.project(), wheel.filename() + ".metadata", metadata));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (WheelwrightException e) {
            log.warn("no core metadata from upstream wheel {}: {}", wheel.filename(), e.getMessage());
            return Optional.empty();
        } finally {
            deleteQuietly(temp);
        }
    }

    private CachedUpstreamFile storeBytes(ProjectName project, String filename, byte[] bytes) {
        String sha = sha256(bytes);
        BlobKey key = BlobKey.forContent(sha, ".metadata");
        Path temp = null;
        try {
            temp = Files.createTempFile(tmpDir, "upstream-", ".metadata");
            Files.write(temp, bytes);
            blobs.put(key, temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(temp);
        }
        CachedUpstreamFile record = new CachedUpstreamFile(filename, project, sha, bytes.length, key, clock.instant());
        Optional<CachedUpstreamFile> existing = store.addCachedUpstreamFile(record);
        changed(project.normalized());
        return existing.orElse(record);
    }

    /** A project's cached files changed: its listing must be rebuilt (sizes and metadata may now be known). */
    private void changed(String project) {
        Entry e = entries.get(project);
        if (e != null) {
            e.invalidate();
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                log.debug("cannot delete {}: {}", p, e.getMessage());
            }
        }
    }

    static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }

    private static String suffix(String filename) {
        if (filename.endsWith(".whl")) {
            return ".whl";
        }
        if (filename.endsWith(".tar.gz")) {
            return ".tar.gz";
        }
        return ".zip";
    }

    /** Stops background fetches. */
    @Override
    public void close() {
        fetchers.shutdownNow();
    }

    // --- one upstream fetch, followed by any number of clients

    private final class Flight {
        private final String project;
        private final UpstreamFile source;
        private final UpstreamIndex upstream;
        private final Object lock = new Object();
        private final Path temp;
        private long written;
        private boolean finished;
        private Optional<Long> length = Optional.empty();
        private Exception failure;

        Flight(String project, UpstreamFile source, UpstreamIndex upstream) {
            this.project = project;
            this.source = source;
            this.upstream = upstream;
            try {
                this.temp = Files.createTempFile(tmpDir, "upstream-", ".part");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary file in " + tmpDir, e);
            }
        }

        /** A stream that follows this fetch, or empty when it has finished (successfully or not) already. */
        Optional<Delivery> follow() {
            synchronized (lock) {
                if (finished) {
                    if (failure != null) {
                        throw new UpstreamUnavailableException(failure.getMessage(), failure);
                    }
                    return Optional.empty();
                }
                try {
                    InputStream in = new Follower(this, Files.newByteChannel(temp));
                    return Optional.of(new Streaming(in, source.size().or(() -> length), source.sha256()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        void run() {
            long start = System.nanoTime();
            boolean failed = true;
            try {
                MessageDigest sha = Sha256.newDigest();
                long total = 0;
                try (UpstreamIndex.Download download = upstream.open(source.url());
                        OutputStream out = Files.newOutputStream(temp)) {
                    synchronized (lock) {
                        length = download.length();
                        lock.notifyAll();
                    }
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = download.body().read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                        sha.update(buffer, 0, n);
                        total += n;
                        synchronized (lock) {
                            written = total;
                            lock.notifyAll();
                        }
                    }
                    if (download.length().isPresent() && download.length().get() != total) {
                        throw new UpstreamUnavailableException(
                                "Upstream " + upstream.name() + " sent " + total + " bytes of " + source.filename()
                                        + " instead of " + download.length().get() + ".");
                    }
                } catch (IOException e) {
                    throw new UpstreamUnavailableException(
                            "Upstream " + upstream.name() + " broke off " + source.filename() + ": " + e.getMessage(),
                            e);
                }
                String actual = Sha256.hex(sha);
                if (!actual.equals(source.sha256())) {
                    log.error(
                            "upstream {} sent {} with sha256 {}, but its page says {}; refused",
                            upstream.name(),
                            source.filename(),
                            actual,
                            source.sha256());
                    throw new UpstreamUnavailableException("Upstream " + upstream.name() + " sent " + source.filename()
                            + " with a sha256 that does not match its page; the file was refused.");
                }
                BlobKey key = BlobKey.forContent(actual, suffix(source.filename()));
                blobs.put(key, temp);
                CachedUpstreamFile record = new CachedUpstreamFile(
                        source.filename(), ProjectName.parse(project), actual, total, key, clock.instant());
                store.addCachedUpstreamFile(record);
                changed(project);
                failed = false;
                if (source.coreMetadata().isEmpty() && source.filename().endsWith(".whl")) {
                    try {
                        extractMetadata(record);
                    } catch (RuntimeException e) {
                        log.warn("cannot extract the metadata of {}: {}", source.filename(), e.getMessage());
                    }
                }
                finish(null);
            } catch (Exception e) {
                finish(e);
            } finally {
                metrics.request(upstream.name(), "file", System.nanoTime() - start, failed);
            }
        }

        private void finish(Exception e) {
            synchronized (lock) {
                failure = e;
                finished = true;
                flights.remove(source.filename(), this);
                deleteQuietly(temp); // followers keep their open channels
                lock.notifyAll();
            }
        }
    }

    /** Reads a flight's temporary file as it grows; ends when the flight succeeded, fails when it failed. */
    private static final class Follower extends InputStream {
        private final Flight flight;
        private final java.nio.channels.SeekableByteChannel channel;
        private long position;

        Follower(Flight flight, java.nio.channels.SeekableByteChannel channel) {
            this.flight = flight;
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            long available;
            synchronized (flight.lock) {
                while (!flight.finished && flight.written <= position) {
                    try {
                        flight.lock.wait(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the upstream", e);
                    }
                }
                if (flight.failure != null) {
                    throw new IOException(flight.failure.getMessage(), flight.failure);
                }
                available = flight.written - position;
                if (available <= 0) {
                    return -1; // finished and verified
                }
            }
            channel.position(position);
            int n = channel.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, available)));
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    // --- cached listings

    private record Parsed(List<UpstreamFile> files, List<String> versions) {}

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

    // --- snapshot bodies: our own JSON, independent of the upstream's format

    private String serialize(UpstreamPage page) {
        ObjectNode doc = json.createObjectNode();
        ArrayNode files = doc.putArray("files");
        for (UpstreamFile f : page.files()) {
            ObjectNode o = files.addObject();
            o.put("filename", f.filename());
            o.put("url", f.url().toString());
            o.put("sha256", f.sha256());
            f.requiresPython().ifPresent(v -> o.put("requires-python", v));
            f.yanked().ifPresent(v -> o.put("yanked", v));
            f.coreMetadata().ifPresent(v -> o.put("core-metadata", v));
            f.size().ifPresent(v -> o.put("size", v));
            f.uploadTime().ifPresent(v -> o.put("upload-time", v.toString()));
        }
        ArrayNode versions = doc.putArray("versions");
        page.versions().forEach(versions::add);
        return doc.toString();
    }

    private Parsed deserialize(String body) {
        JsonNode doc;
        try {
            doc = json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored upstream snapshot is not JSON", e);
        }
        List<UpstreamFile> files = new ArrayList<>();
        for (JsonNode o : doc.path("files")) {
            files.add(new UpstreamFile(
                    o.path("filename").asText(),
                    URI.create(o.path("url").asText()),
                    o.path("sha256").asText(),
                    text(o, "requires-python"),
                    text(o, "yanked"),
                    text(o, "core-metadata"),
                    o.has("size") ? Optional.of(o.get("size").asLong()) : Optional.empty(),
                    text(o, "upload-time").map(Instant::parse)));
        }
        List<String> versions = new ArrayList<>();
        doc.path("versions").forEach(v -> versions.add(v.asText()));
        return new Parsed(files, versions);
    }

    private static Optional<String> text(JsonNode o, String field) {
        return o.has(field) ? Optional.of(o.get(field).asText()) : Optional.empty();
    }
}

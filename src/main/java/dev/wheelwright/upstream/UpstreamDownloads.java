package dev.wheelwright.upstream;

import dev.wheelwright.common.BlockInputStream;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.DistributionArchive;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.WheelFilename;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.CachedUpstreamFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream files and their PEP 658 metadata: from the cache, or fetched on first request by one upstream request
 * however many clients ask at once (single flight), streamed to those clients while being written to a temporary
 * file, verified against the upstream's sha256 and only then stored content-addressed in the {@link BlobStore} and
 * recorded in the {@link UpstreamCache}. Thread-safe.
 */
final class UpstreamDownloads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamDownloads.class);
    private static final int MAX_METADATA_BYTES = DistributionArchive.MAX_METADATA_BYTES;

    private final UpstreamListings listings;
    private final BlobStore blobs;
    private final Path tmpDir;
    private final boolean offline;
    private final UpstreamMetrics metrics;
    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final ExecutorService fetchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "upstream-fetch");
        t.setDaemon(true);
        return t;
    });

    /** @param listings the listings cache, which also keeps the records of the cached files this class stores */
    UpstreamDownloads(
            UpstreamListings listings, BlobStore blobs, Path tmpDir, boolean offline, UpstreamMetrics metrics) {
        this.listings = Objects.requireNonNull(listings);
        this.blobs = Objects.requireNonNull(blobs);
        this.tmpDir = Objects.requireNonNull(tmpDir);
        this.offline = offline;
        this.metrics = Objects.requireNonNull(metrics);
    }

    /**
     * A file of an upstream project: from the cache, or fetched now (one upstream request for concurrent callers).
     *
     * @throws UpstreamNotFoundException when the project's upstream page does not list it (or, offline, it is not
     *     cached)
     * @throws UpstreamUnavailableException when the fetch cannot start
     */
    UpstreamService.Delivery file(ProjectName project, String filename) {
        Optional<CachedUpstreamFile> cached = cachedFile(project, filename);
        if (cached.isPresent()) {
            metrics.cache("file", true);
            return new UpstreamService.Cached(cached.get());
        }
        if (offline) {
            throw new UpstreamNotFoundException("The file " + filename + " is not cached, and this index is offline.");
        }
        UpstreamListings.Source found =
                listings.visibleFile(project, filename).orElseThrow(() -> noFile(project, filename));
        UpstreamFile source = found.file();
        UpstreamIndex upstream = found.upstream();
        metrics.cache("file", false);
        while (true) {
            Flight flight = flights.computeIfAbsent(filename, f -> {
                Flight created = new Flight(project.normalized(), source, upstream);
                fetchers.execute(created::run);
                return created;
            });
            Optional<UpstreamService.Delivery> delivery = flight.follow();
            if (delivery.isPresent()) {
                return delivery.get();
            }
            // that flight finished before we could join it: the next is either the cache or a new flight
            Optional<CachedUpstreamFile> now = cachedFile(project, filename);
            if (now.isPresent()) {
                return new UpstreamService.Cached(now.get());
            }
        }
    }

    /**
     * The PEP 658 metadata of an upstream wheel: cached, fetched from the upstream's {@code .metadata} when it has
     * one (verified against its hash when given), or extracted from the cached wheel.
     */
    CachedUpstreamFile metadata(ProjectName project, String filename) {
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
        if (offline) {
            throw new UpstreamNotFoundException("The file " + name + " is not cached, and this index is offline.");
        }
        UpstreamListings.Source found =
                listings.visibleFile(project, filename).orElseThrow(() -> noFile(project, name));
        UpstreamFile source = found.file();
        if (source.coreMetadata().isEmpty() || !filename.endsWith(".whl")) {
            throw noFile(project, name);
        }
        metrics.cache("metadata", false);
        UpstreamIndex upstream = found.upstream();
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
        return listings.cachedFile(project, filename);
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
            blobs.put(key, temp, sha);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(temp);
        }
        return listings.recordCached(project, filename, sha, bytes.length, key);
    }

    private static UpstreamNotFoundException noFile(ProjectName project, String filename) {
        return new UpstreamNotFoundException("No file " + filename + " in project " + project.normalized() + ".");
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
        Optional<UpstreamService.Delivery> follow() {
            synchronized (lock) {
                if (finished) {
                    if (failure != null) {
                        throw new UpstreamUnavailableException(failure.getMessage(), failure);
                    }
                    return Optional.empty();
                }
                try {
                    InputStream in = new Follower(this, Files.newByteChannel(temp));
                    return Optional.of(
                            new UpstreamService.Streaming(in, source.size().or(() -> length), source.sha256()));
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
                blobs.put(key, temp, actual);
                CachedUpstreamFile record =
                        listings.recordCached(ProjectName.parse(project), source.filename(), actual, total, key);
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
    private static final class Follower extends BlockInputStream {
        private final Flight flight;
        private final java.nio.channels.SeekableByteChannel channel;
        private long position;

        Follower(Flight flight, java.nio.channels.SeekableByteChannel channel) {
            this.flight = flight;
            this.channel = channel;
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
}

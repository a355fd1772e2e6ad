package dev.wheelwright.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.CachedUpstreamFile;
import dev.wheelwright.storage.UpstreamCache;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The upstream proxy, one entry point over its parts: {@link UpstreamListings} (project pages, cached and
 * revalidated, stored in the form of its {@link SnapshotCodec}) and {@link UpstreamDownloads} (files and metadata,
 * single flight, verified before stored). Which names may be asked upstream at all (the
 * dependency-confusion rule) is decided by the index, the one door for a name's source; this class serves what it is
 * asked. Thread-safe.
 */
public final class UpstreamService implements AutoCloseable {
    /** How the proxy behaves, from {@code proxy.*}. */
    public record Settings(Duration listingTtl, boolean offline, Duration quarantine) {
        public Settings {
            Objects.requireNonNull(listingTtl);
            Objects.requireNonNull(quarantine);
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

    private final UpstreamMetrics metrics;
    private final UpstreamListings listings;
    private final UpstreamDownloads downloads;

    public UpstreamService(
            List<UpstreamIndex> upstreams,
            UpstreamCache store,
            BlobStore blobs,
            Path tmpDir,
            Clock clock,
            Settings settings,
            ObjectMapper json,
            UpstreamMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics);
        this.listings = new UpstreamListings(upstreams, store, clock, settings, metrics, json);
        this.downloads = new UpstreamDownloads(listings, blobs, tmpDir, settings.offline(), metrics);
    }

    public UpstreamMetrics metrics() {
        return metrics;
    }

    /** Whether any upstream is configured, or the proxy serves its cache offline: else it lists nothing. */
    public boolean enabled() {
        return listings.enabled();
    }

    /**
     * The upstream listing of a project; empty when no upstream has it, or (offline) when it is not cached.
     *
     * @throws UpstreamUnavailableException when no upstream could answer and nothing is cached
     */
    public Optional<ProxiedListing> listing(ProjectName name) {
        return listings.listing(name);
    }

    /**
     * A file of an upstream project: from the cache, or fetched now (one upstream request for concurrent callers).
     *
     * @throws UpstreamNotFoundException when the project's upstream page does not list it (or, offline, it is not
     *     cached)
     * @throws UpstreamUnavailableException when the fetch cannot start
     */
    public Delivery file(ProjectName project, String filename) {
        return downloads.file(project, filename);
    }

    /**
     * The PEP 658 metadata of an upstream wheel: cached, fetched from the upstream's {@code .metadata} when it has
     * one (verified against its hash when given), or extracted from the cached wheel.
     */
    public CachedUpstreamFile metadata(ProjectName project, String filename) {
        return downloads.metadata(project, filename);
    }

    /** Stops background fetches. */
    @Override
    public void close() {
        downloads.close();
    }
}

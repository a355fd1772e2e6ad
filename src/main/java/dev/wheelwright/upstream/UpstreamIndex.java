package dev.wheelwright.upstream;

import dev.wheelwright.python.ProjectName;
import java.io.InputStream;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream PEP 503/691 index. Implementations are thread-safe and bounded in time: connecting and every wait
 * for bytes end within the configured timeouts, so no call hangs. Failures to reach the upstream, or answers that
 * are neither a page nor "not found", throw {@link UpstreamUnavailableException}.
 */
public interface UpstreamIndex {
    /** The configured name of this upstream (for logs, metrics and the cache). */
    String name();

    /**
     * Fetches a project page, conditionally when validators of a previous fetch are given.
     *
     * @param etag the ETag of the copy we hold, sent as {@code If-None-Match}
     * @param lastModified the Last-Modified of the copy we hold, sent as {@code If-Modified-Since}
     */
    PageFetch page(ProjectName project, Optional<String> etag, Optional<String> lastModified);

    /**
     * Opens a file at the upstream: {@code url} is a file URL of a page this index returned (or that URL plus
     * {@code .metadata}). The caller closes the download; reads that stall past the read timeout fail with an
     * {@code IOException}. A missing file is {@link UpstreamUnavailableException} too: the page promised it.
     */
    Download open(URI url);

    /** The answer to a page request. */
    sealed interface PageFetch permits Found, NotModified, NotFound {}

    /** The page, parsed. */
    record Found(UpstreamPage page) implements PageFetch {
        public Found {
            Objects.requireNonNull(page);
        }
    }

    /** The copy we hold is current (HTTP 304). */
    record NotModified() implements PageFetch {}

    /** This upstream has no such project (HTTP 404 or 410, or no such directory). */
    record NotFound() implements PageFetch {}

    /** An open file body; {@code length} when the upstream announced it. The receiver closes it. */
    record Download(InputStream body, Optional<Long> length) implements AutoCloseable {
        public Download {
            Objects.requireNonNull(body);
            Objects.requireNonNull(length);
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (java.io.IOException e) {
                // closing an upstream body only releases the connection; nothing to report
            }
        }
    }
}

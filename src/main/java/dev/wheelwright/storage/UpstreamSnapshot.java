package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The last project page fetched from an upstream index, kept so the proxy can serve it after a restart, while the
 * upstream is down, or offline.
 *
 * @param project the project (stored by its PEP 503 normalized name)
 * @param upstream the configured name of the upstream that served it
 * @param body the parsed page, serialized by the proxy (opaque to the store)
 * @param etag the upstream's ETag, for revalidation
 * @param lastModified the upstream's Last-Modified, for revalidation
 * @param fetched when the upstream last confirmed this page (fetched or answered 304)
 */
public record UpstreamSnapshot(
        ProjectName project,
        String upstream,
        String body,
        Optional<String> etag,
        Optional<String> lastModified,
        Instant fetched) {
    public UpstreamSnapshot {
        Objects.requireNonNull(project);
        Objects.requireNonNull(upstream);
        Objects.requireNonNull(body);
        Objects.requireNonNull(etag);
        Objects.requireNonNull(lastModified);
        Objects.requireNonNull(fetched);
    }
}

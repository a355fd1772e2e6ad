package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.util.Objects;

/**
 * A file fetched from an upstream index, verified against the upstream's sha256 and kept in the {@link BlobStore}.
 *
 * @param filename the distribution's filename, or that filename plus {@code .metadata} for its PEP 658 metadata
 * @param project the project (stored by its PEP 503 normalized name)
 * @param sha256 lower-case hex sha256 of the bytes
 * @param size size in bytes
 * @param blob where the bytes are (content-addressed)
 * @param cached when it was stored
 */
public record CachedUpstreamFile(
        String filename, ProjectName project, String sha256, long size, BlobKey blob, Instant cached) {
    public CachedUpstreamFile {
        Objects.requireNonNull(filename);
        Objects.requireNonNull(project);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(blob);
        Objects.requireNonNull(cached);
    }
}

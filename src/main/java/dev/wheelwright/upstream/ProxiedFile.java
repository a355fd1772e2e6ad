package dev.wheelwright.upstream;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream file as we list it: served through our own URL.
 *
 * @param project PEP 503 normalized project name
 * @param filename the distribution's filename
 * @param sha256 lower-case hex sha256 (the upstream's, checked when the file is fetched)
 * @param requiresPython Requires-Python, if the upstream gave one
 * @param yanked present when yanked (PEP 592); the reason, possibly empty
 * @param metadataSha256 present when we serve {@code .metadata}: its sha256, or empty string when not known
 * @param size size in bytes when known (the upstream said, or the file is cached)
 * @param uploadTime upload time when the upstream said
 */
public record ProxiedFile(
        String project,
        String filename,
        String sha256,
        Optional<String> requiresPython,
        Optional<String> yanked,
        Optional<String> metadataSha256,
        Optional<Long> size,
        Optional<Instant> uploadTime) {
    public ProxiedFile {
        Objects.requireNonNull(project);
        Objects.requireNonNull(filename);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(requiresPython);
        Objects.requireNonNull(yanked);
        Objects.requireNonNull(metadataSha256);
        Objects.requireNonNull(size);
        Objects.requireNonNull(uploadTime);
    }
}

package dev.wheelwright.index;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One file line of a local project's page (PEP 503/691/700/714), as the index lists it: what a page shows, nothing of
 * where the bytes are kept.
 *
 * @param project the project
 * @param filename the distribution's filename
 * @param sha256 lower-case hex sha256 of the file
 * @param requiresPython the file's Requires-Python, if it declares one
 * @param yankedReason present when the file is yanked (PEP 592); may be the empty string
 * @param metadataSha256 sha256 of the PEP 658 {@code .metadata} file (wheels only)
 * @param size size in bytes
 * @param uploadTime when the file became visible
 * @param provenance whether a build recorded the provenance of these bytes (served signed, PEP 740)
 */
public record ListedFile(
        ProjectName project,
        String filename,
        String sha256,
        Optional<String> requiresPython,
        Optional<String> yankedReason,
        Optional<String> metadataSha256,
        long size,
        Instant uploadTime,
        boolean provenance) {
    public ListedFile {
        Objects.requireNonNull(project);
        Objects.requireNonNull(filename);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(requiresPython);
        Objects.requireNonNull(yankedReason);
        Objects.requireNonNull(metadataSha256);
        Objects.requireNonNull(uploadTime);
    }
}

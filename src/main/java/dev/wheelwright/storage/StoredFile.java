package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One distribution file of a release as the index lists it.
 *
 * @param project the project (stored by its PEP 503 normalized name)
 * @param version the release (stored in its PEP 440 normalized form)
 * @param filename the distribution's filename, unique across the index
 * @param packagetype wheel or sdist
 * @param size size in bytes
 * @param sha256 lower-case hex sha256 of the file
 * @param blob where the bytes are
 * @param requiresPython the file's Requires-Python, if it declares one
 * @param metadataSha256 sha256 of the PEP 658 {@code .metadata} file (wheels only)
 * @param metadataBlob where the {@code .metadata} bytes are (wheels only)
 * @param uploadTime when the file became visible
 * @param yankedReason present when the file is yanked (PEP 592); may be the empty string
 * @param uploadedBy name of the token that uploaded it, or the importing command
 */
public record StoredFile(
        ProjectName project,
        Version version,
        String filename,
        PackageType packagetype,
        long size,
        String sha256,
        BlobKey blob,
        Optional<String> requiresPython,
        Optional<String> metadataSha256,
        Optional<BlobKey> metadataBlob,
        Instant uploadTime,
        Optional<String> yankedReason,
        String uploadedBy) {
    public StoredFile {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        Objects.requireNonNull(filename);
        Objects.requireNonNull(packagetype);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(blob);
        Objects.requireNonNull(requiresPython);
        Objects.requireNonNull(metadataSha256);
        Objects.requireNonNull(metadataBlob);
        Objects.requireNonNull(uploadTime);
        Objects.requireNonNull(yankedReason);
        Objects.requireNonNull(uploadedBy);
    }

    public boolean isWheel() {
        return packagetype == PackageType.BDIST_WHEEL;
    }
}

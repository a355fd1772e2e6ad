package dev.wheelwright.upload;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An uploaded distribution spooled to a private temporary file, with the digests computed while it was written:
 * sha256 always, md5 and blake2b-256 for twine uploads (whose form may carry them to compare), not for imports.
 * The receiver owns {@code path} and deletes it when done.
 */
public record ReceivedFile(
        String filename, Path path, long size, String sha256, Optional<String> md5, Optional<String> blake2b256) {
    public ReceivedFile {
        Objects.requireNonNull(filename);
        Objects.requireNonNull(path);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(md5);
        Objects.requireNonNull(blake2b256);
    }
}

package dev.wheelwright.upload;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An uploaded distribution spooled to a private temporary file, with the digests computed while it was written.
 * The receiver owns {@code path} and deletes it when done.
 */
public record ReceivedFile(String filename, Path path, long size, String sha256, String md5, String blake2b256) {
    public ReceivedFile {
        Objects.requireNonNull(filename);
        Objects.requireNonNull(path);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(md5);
        Objects.requireNonNull(blake2b256);
    }
}

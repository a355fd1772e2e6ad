package dev.wheelwright.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Distribution and metadata bytes. Implementations are thread-safe and may be shared by several processes.
 * {@link #put} is atomic and durable: a reader sees the old bytes or the new bytes, never a prefix, and once
 * put returns the bytes survive a crash. A missing key is {@link Optional#empty()}, not an error; backend
 * failures throw {@link StorageException}.
 */
public interface BlobStore {
    /** Stores the content of {@code file} under {@code key}, replacing what was there. The file is not moved. */
    void put(BlobKey key, Path file);

    /** Opens the whole blob; the caller closes the stream. */
    Optional<InputStream> open(BlobKey key);

    /**
     * Opens {@code length} bytes starting at {@code offset}; the caller closes the stream and has checked the
     * range against the blob's recorded size.
     */
    Optional<InputStream> open(BlobKey key, long offset, long length);

    /**
     * The blob as a file on this machine's file system, when the store keeps it as one, so it can be sent by the
     * kernel without passing through the heap; empty for stores that keep bytes elsewhere (and for missing blobs).
     * Blobs are immutable: the file's content never changes while the key exists.
     */
    default Optional<Path> localFile(BlobKey key) {
        return Optional.empty();
    }

    boolean exists(BlobKey key);

    /** Removes the blob; false when there was none. */
    boolean delete(BlobKey key);
}

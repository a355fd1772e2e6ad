package dev.wheelwright.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Distribution and metadata bytes. Implementations are thread-safe and may be shared by several processes.
 * {@link #put} is atomic, durable and verified: a reader sees the old bytes or the new bytes, never a prefix; once
 * put returns the bytes survive a crash and are the bytes of the expected sha256. A missing key is
 * {@link Optional#empty()}, not an error; backend failures throw {@link StorageException}.
 */
public interface BlobStore {
    /**
     * Stores the content of {@code file} under {@code key}, replacing what was there, and returns only once the blob
     * is there with exactly the bytes whose sha256 is {@code sha256} (each backend says how it verifies that). Bytes
     * of another sha256 throw {@link StorageException} and leave the key as it was. The file is not moved. Callers
     * record a blob (a file's row, a cache entry) only after this returned: write, then record.
     *
     * @param sha256 the lower-case hex sha256 the bytes must have
     */
    void put(BlobKey key, Path file, String sha256);

    /**
     * As {@link #put(BlobKey, Path, String)} for bytes already in memory (a wheel's metadata, a small file being
     * imported), with the same guarantees. The caller does not change {@code bytes} while this runs. By default the
     * bytes go through a temporary file; stores that can write them directly do.
     */
    default void put(BlobKey key, byte[] bytes, String sha256) {
        Path temp = null;
        try {
            temp = Files.createTempFile("blob-", ".part");
            Files.write(temp, bytes);
            put(key, temp, sha256);
        } catch (IOException e) {
            throw new StorageException("cannot stage the bytes of blob " + key, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // a temporary file of our own; the OS cleans its temporary directory
                }
            }
        }
    }

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

    /**
     * A short-lived URL from which any client can GET the blob's bytes without passing through this process, when the
     * store is set up to hand such URLs out (an object store's presigned URL); empty otherwise. The URL is made without
     * asking the backend whether the blob exists: the caller knows it from its records.
     */
    default Optional<URI> directUrl(BlobKey key) {
        return Optional.empty();
    }

    boolean exists(BlobKey key);

    /**
     * Every blob last written before {@code before}, with its size, for {@code gc}; what is not a blob this store wrote
     * (a partial file, an object outside the key layout) is left out.
     */
    List<ListedBlob> writtenBefore(Instant before);

    /** Removes the blob; false when there was none. */
    boolean delete(BlobKey key);

    /**
     * Checks now that the store can be read and written (a directory is writable, a bucket answers to these
     * credentials), for readiness and {@code check}.
     *
     * @throws StorageException saying, in one sentence without secrets, why the store cannot be used
     */
    void checkReachable();

    /** Where the bytes live, for an operator: a directory, or {@code s3://bucket/prefix at endpoint}. No secrets. */
    String describe();
}

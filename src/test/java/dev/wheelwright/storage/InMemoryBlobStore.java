package dev.wheelwright.storage;

import dev.wheelwright.common.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BlobStore} in a map, for service tests. Thread-safe; put reads the whole file first, so it is atomic;
 * "durable" only for the life of the object.
 */
public final class InMemoryBlobStore implements BlobStore {
    private final Map<BlobKey, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<BlobKey, Instant> written = new ConcurrentHashMap<>();

    /** How many blobs are stored (tests assert that a refused upload stored none). */
    public int size() {
        return blobs.size();
    }

    @Override
    public void put(BlobKey key, Path file, String sha256) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (!Sha256.hex(bytes).equals(sha256)) {
                throw new StorageException("refused to store blob " + key + ": its bytes do not have sha256 " + sha256);
            }
            blobs.put(key, bytes);
            written.put(key, Instant.now());
        } catch (IOException e) {
            throw new StorageException("cannot write blob " + key, new UncheckedIOException(e));
        }
    }

    @Override
    public Optional<InputStream> open(BlobKey key) {
        return Optional.ofNullable(blobs.get(key)).map(ByteArrayInputStream::new);
    }

    @Override
    public Optional<InputStream> open(BlobKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range " + offset + "+" + length + " for blob " + key);
        }
        return Optional.ofNullable(blobs.get(key)).map(bytes -> {
            int start = (int) Math.min(offset, bytes.length);
            int count = (int) Math.min(length, bytes.length - start);
            return new ByteArrayInputStream(bytes, start, count);
        });
    }

    @Override
    public boolean exists(BlobKey key) {
        return blobs.containsKey(key);
    }

    @Override
    public List<ListedBlob> writtenBefore(Instant before) {
        List<ListedBlob> listed = new ArrayList<>();
        blobs.forEach((key, bytes) -> {
            Instant when = written.getOrDefault(key, Instant.EPOCH);
            if (when.isBefore(before)) {
                listed.add(new ListedBlob(key, bytes.length, when));
            }
        });
        return listed;
    }

    @Override
    public void checkReachable() {}

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public boolean delete(BlobKey key) {
        written.remove(key);
        return blobs.remove(key) != null;
    }
}

package dev.wheelwright.storage;

import java.time.Instant;
import java.util.Objects;

/** A blob as a store lists it: its key, size in bytes and when it was last written. */
public record ListedBlob(BlobKey key, long size, Instant written) {
    public ListedBlob {
        Objects.requireNonNull(key);
        Objects.requireNonNull(written);
    }
}

package dev.wheelwright.index;

import java.util.Objects;

/** A wheel's PEP 658 core metadata file: its bytes and their sha256. */
public record MetadataFile(String sha256, byte[] bytes) {
    public MetadataFile {
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(bytes);
    }
}

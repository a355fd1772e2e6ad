package dev.wheelwright.index;

import java.util.Objects;
import java.util.Optional;

/** Where a local source takes a project from: a repository URL (no credentials) and a subdirectory in it. */
public record SourceLocation(String url, Optional<String> subdirectory) {
    public SourceLocation {
        Objects.requireNonNull(url);
        Objects.requireNonNull(subdirectory);
    }
}

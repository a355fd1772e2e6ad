package dev.wheelwright.source;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a branch head stands after its latest release tag, as {@code git describe --tags} says it.
 *
 * @param base the commit of the nearest tagged ancestor (the head itself when it is tagged); empty when none is
 * @param distance the commits of the head not in {@code base} (all of its history when there is no base)
 */
public record BranchPosition(Optional<String> base, int distance) {
    public BranchPosition {
        Objects.requireNonNull(base);
        if (distance < 0) {
            throw new IllegalArgumentException("distance must not be negative");
        }
    }
}

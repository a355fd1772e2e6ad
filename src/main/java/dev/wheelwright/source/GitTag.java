package dev.wheelwright.source;

import java.time.Instant;
import java.util.Objects;

/**
 * A tag of a mirrored repository, peeled to the commit it names.
 *
 * @param name the tag's name without {@code refs/tags/}
 * @param commit the full id of the commit the tag points to (through an annotated tag object if there is one)
 * @param date the tagger date of an annotated tag, else the commit's committer date
 */
public record GitTag(String name, String commit, Instant date) {
    public GitTag {
        Objects.requireNonNull(name);
        Objects.requireNonNull(commit);
        Objects.requireNonNull(date);
    }
}

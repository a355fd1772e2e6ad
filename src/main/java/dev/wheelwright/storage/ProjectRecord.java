package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.util.Objects;

/**
 * A project known to the index.
 *
 * @param name the project's name; its normalized form is the key
 * @param displayName the name as the newest upload's metadata spells it
 * @param summary the newest upload's Summary, or empty
 * @param created when the first file arrived
 * @param revision a number that grows on every change to the project or its files, for cache validation
 */
public record ProjectRecord(ProjectName name, String displayName, String summary, Instant created, long revision) {
    public ProjectRecord {
        Objects.requireNonNull(name);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(summary);
        Objects.requireNonNull(created);
    }
}

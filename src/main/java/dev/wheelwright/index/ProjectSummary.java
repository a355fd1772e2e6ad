package dev.wheelwright.index;

import dev.wheelwright.python.ProjectName;
import java.util.Objects;

/**
 * One line of a project list, as the index shows it (the root page, the home page): no storage record crosses to the
 * HTTP edge.
 *
 * @param name the project's name (normalized spelling via {@link ProjectName#normalized()})
 * @param displayName the name as the newest file's metadata spells it
 * @param summary the newest file's Summary, or empty
 */
public record ProjectSummary(ProjectName name, String displayName, String summary) {
    public ProjectSummary {
        Objects.requireNonNull(name);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(summary);
    }
}

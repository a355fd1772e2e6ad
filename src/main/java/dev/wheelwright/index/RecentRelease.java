package dev.wheelwright.index;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.util.Objects;

/**
 * A release among the most recent ones of the index: a project's version, when its newest file came and who stored
 * that file (a token's name, an importing command, or the builds of git tags).
 */
public record RecentRelease(ProjectName project, String version, Instant when, String uploadedBy) {
    public RecentRelease {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        Objects.requireNonNull(when);
        Objects.requireNonNull(uploadedBy);
    }
}

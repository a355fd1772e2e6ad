package dev.wheelwright.index;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.util.Objects;

/** A release among the most recent ones of the index: a project's version and when its newest file came. */
public record RecentRelease(ProjectName project, String version, Instant when) {
    public RecentRelease {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        Objects.requireNonNull(when);
    }
}

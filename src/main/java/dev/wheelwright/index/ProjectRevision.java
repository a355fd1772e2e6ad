package dev.wheelwright.index;

import dev.wheelwright.python.ProjectName;
import java.util.Objects;

/**
 * A project as far as cache validation needs it: its name and a number that grows on every change to it or its files
 * (0 for a project a local source owns before any file of it is recorded).
 */
public record ProjectRevision(ProjectName name, long revision) {
    public ProjectRevision {
        Objects.requireNonNull(name);
    }
}

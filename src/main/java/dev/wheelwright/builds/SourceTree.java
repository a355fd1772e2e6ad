package dev.wheelwright.builds;

import java.nio.file.Path;

/**
 * The files of one commit of a git repository, as a build needs them. Implemented by the git source (JGit); the
 * build side never touches git. Thread-safe.
 */
public interface SourceTree {
    /**
     * Writes the whole tree of {@code commit} (no {@code .git} directory, no untracked files) into the empty
     * directory {@code target}. Failures throw a {@code WheelwrightException} of kind FAILED.
     */
    void exportTo(String commit, Path target);
}

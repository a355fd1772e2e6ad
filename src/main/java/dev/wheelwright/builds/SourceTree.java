package dev.wheelwright.builds;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of one commit of a git repository, as a build needs them, and what its provenance says of them.
 * Implemented by the git source (JGit); the build side never touches git. Thread-safe.
 */
public interface SourceTree {
    /**
     * Writes the whole tree of {@code commit} (no {@code .git} directory, no untracked files) into the empty
     * directory {@code target}. Failures throw a {@code WheelwrightException} of kind FAILED.
     */
    void exportTo(String commit, Path target);

    /** The repository the tree comes from, as provenance names it: its URL without credentials. */
    String repository();

    /**
     * The id of the annotated tag object {@code tag} names, when it is one and it names {@code commit}; empty for a
     * lightweight tag, a tag the mirror does not have, or one that names another commit now (it moved).
     */
    Optional<String> tagObject(String tag, String commit);
}

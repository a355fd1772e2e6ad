package dev.wheelwright.builds;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The files of one commit of a git repository, as a build needs them, and what its provenance says of them.
 * Implemented by the git source (JGit); the build side never touches git. Thread-safe.
 */
public interface SourceTree {
    /**
     * Writes the whole tree of {@code commit} (no {@code .git} directory, no untracked files) into the empty
     * directory {@code target} and returns the commit's (committer) time, the build's {@code SOURCE_DATE_EPOCH}.
     * What is written does not depend on when or where it is exported: every file and directory has the commit's
     * time as its modification time, files mode 0644 (0755 when git marks them executable), directories 0755.
     * Failures throw a {@code WheelwrightException} of kind FAILED.
     */
    Instant exportTo(String commit, Path target);

    /** The repository the tree comes from, as provenance names it: its URL without credentials. */
    String repository();

    /**
     * The id of the annotated tag object {@code tag} names, when it is one and it names {@code commit}; empty for a
     * lightweight tag, a tag the mirror does not have, or one that names another commit now (it moved).
     */
    Optional<String> tagObject(String tag, String commit);
}

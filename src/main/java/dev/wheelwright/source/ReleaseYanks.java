package dev.wheelwright.source;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;

/**
 * Yanks (PEP 592) every file of a release that is not yanked yet: pip then skips it unless a requirement pins it with
 * {@code ==}, and its files stay downloadable. Used to prune old dev releases. Thread-safe; storage failures throw.
 */
@FunctionalInterface
public interface ReleaseYanks {
    void yank(ProjectName project, Version version, String reason);
}

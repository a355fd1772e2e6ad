package dev.wheelwright.source;

import java.util.Objects;

/**
 * The git mirrors of this index: the repositories mirrored on this machine and which project lives in which (and
 * under which subdirectory and tag pattern). What the parts of the git source that read tags or trees share.
 *
 * @param sources the name → repository mapping
 * @param repositories the mirrors themselves
 */
public record GitMirrors(ProjectSources sources, SourceRepository repositories) {
    public GitMirrors {
        Objects.requireNonNull(sources);
        Objects.requireNonNull(repositories);
    }
}

package dev.wheelwright.source;

import dev.wheelwright.python.ProjectName;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a git-backed project comes from.
 *
 * @param name the project
 * @param url the remote to mirror (several projects of a monorepo share one)
 * @param subdirectory where the project's packaging files are inside the tree, when not at the root
 * @param tagPattern the project's own tag rule (a regex with a group {@code version}); empty: setuptools-scm's
 * @param origin how the mapping was found
 * @param dev the branch whose head is listed as a dev release, if the project opted in
 */
public record ProjectSource(
        ProjectName name,
        String url,
        Optional<String> subdirectory,
        Optional<Pattern> tagPattern,
        Origin origin,
        Optional<DevBranch> dev) {
    /** How a project was mapped to its repository. */
    public enum Origin {
        CONFIG,
        DISCOVERY,
        TEMPLATE
    }

    public ProjectSource {
        Objects.requireNonNull(name);
        Objects.requireNonNull(url);
        Objects.requireNonNull(subdirectory);
        Objects.requireNonNull(tagPattern);
        Objects.requireNonNull(origin);
        Objects.requireNonNull(dev);
    }

    /** A project without dev releases. */
    public ProjectSource(
            ProjectName name, String url, Optional<String> subdirectory, Optional<Pattern> tagPattern, Origin origin) {
        this(name, url, subdirectory, tagPattern, origin, Optional.empty());
    }

    /**
     * Dev releases of a project (opt-in): its branch head as {@code X.Y.Z.devN+g<sha>}.
     *
     * @param branch the branch, without {@code refs/heads/}
     * @param keep how many dev releases stay installable without a pin; older ones are yanked
     */
    public record DevBranch(String branch, int keep) {
        public DevBranch {
            Objects.requireNonNull(branch);
            if (keep < 1) {
                throw new IllegalArgumentException("keep must be at least 1");
            }
        }
    }
}

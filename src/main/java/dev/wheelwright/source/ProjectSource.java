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
 */
public record ProjectSource(
        ProjectName name, String url, Optional<String> subdirectory, Optional<Pattern> tagPattern, Origin origin) {
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
    }
}

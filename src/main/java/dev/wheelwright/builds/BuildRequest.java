package dev.wheelwright.builds;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.util.Objects;
import java.util.Optional;

/**
 * One release to build: a tag of a git-backed project, resolved to a commit and a PEP 440 version.
 *
 * @param project the project the git source maps to this repository
 * @param version the version the tag stands for (setuptools-scm's rule, or the project's tag-pattern)
 * @param tag the tag's name, for logs and reports
 * @param commit the full commit id the tag pointed to when it was seen
 * @param subdirectory where the project's pyproject.toml / setup.py lives inside the tree, if not at the root
 * @param source how to get the tree of {@code commit}
 */
public record BuildRequest(
        ProjectName project,
        Version version,
        String tag,
        String commit,
        Optional<String> subdirectory,
        SourceTree source) {
    public BuildRequest {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(commit);
        Objects.requireNonNull(subdirectory);
        Objects.requireNonNull(source);
    }
}

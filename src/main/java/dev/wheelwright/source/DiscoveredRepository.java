package dev.wheelwright.source;

import dev.wheelwright.python.ProjectName;
import java.util.Objects;

/**
 * A repository found by organisation discovery, with the project name its packaging files declare.
 *
 * @param project the name in its {@code pyproject.toml} or {@code setup.cfg} on the default branch
 * @param url the clone URL to mirror
 */
public record DiscoveredRepository(ProjectName project, String url) {
    public DiscoveredRepository {
        Objects.requireNonNull(project);
        Objects.requireNonNull(url);
    }
}

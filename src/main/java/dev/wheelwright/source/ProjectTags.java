package dev.wheelwright.source;

import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.python.Version;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every tag of a git-backed project with its meaning and its build, and the state of the mirror.
 *
 * @param source where the project comes from
 * @param repository the mirror's fetch state
 * @param tags every tag, releases first (newest first)
 * @param builds the project's builds by version
 * @param deleted the tags deleted at the remote since the mirror saw them (they, and their releases, stay)
 */
public record ProjectTags(
        ProjectSource source,
        RepositoryStatus repository,
        List<TagState> tags,
        Map<Version, BuildRecord> builds,
        Set<String> deleted) {
    public ProjectTags {
        Objects.requireNonNull(source);
        Objects.requireNonNull(repository);
        tags = List.copyOf(tags);
        builds = Map.copyOf(builds);
        deleted = Set.copyOf(deleted);
    }
}

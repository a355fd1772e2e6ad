package dev.wheelwright.index;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The projects a requester may see, ordered by normalized name, and a version for caching what is rendered of them:
 * two lists with the same version are the same; a list without one (a requester limited to some projects) is not to
 * be cached.
 */
public record ProjectList(OptionalLong version, List<ProjectSummary> projects) {
    public ProjectList {
        Objects.requireNonNull(version);
        projects = List.copyOf(projects);
    }
}

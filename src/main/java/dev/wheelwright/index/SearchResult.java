package dev.wheelwright.index;

import java.util.List;

/**
 * One page of the project list or of a search, as the requester may see it.
 *
 * @param projects this page's projects, best match first (a search) or by normalized name (the list)
 * @param total how many projects match in all
 * @param page this page's number, from 1
 * @param pages how many pages there are (at least 1)
 * @param visible how many projects the requester may see in all, matching or not
 */
public record SearchResult(List<ProjectSummary> projects, int total, int page, int pages, int visible) {
    public SearchResult {
        projects = List.copyOf(projects);
    }
}

package dev.wheelwright.source.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.source.DiscoveredRepository;
import dev.wheelwright.source.PackagingFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule every host's discovery follows, once: walk the listing page by page (at most {@value #MAX_PAGES}), skip
 * archived repositories, and keep each whose default branch's {@code pyproject.toml} (else {@code setup.cfg})
 * declares a project name, with its clone URL.
 */
final class ListedRepositories {
    private static final Logger log = LoggerFactory.getLogger(ListedRepositories.class);
    static final int MAX_PAGES = 100;

    /** What discovery needs of one listed repository. */
    record Listed(String name, String cloneUrl, String branch, boolean archived) {}

    private ListedRepositories() {}

    /**
     * @param first the first page's URL
     * @param page reads a page: its items and the next page's URL
     * @param listed what an item says
     * @param file a file of a repository's default branch: (repository, path) → its text
     */
    static List<DiscoveredRepository> discover(
            String first,
            Function<String, HostApi.Page> page,
            Function<JsonNode, Listed> listed,
            BiFunction<Listed, String, Optional<String>> file) {
        List<DiscoveredRepository> found = new ArrayList<>();
        Optional<String> next = Optional.of(first);
        for (int n = 0; next.isPresent() && n < MAX_PAGES; n++) {
            HostApi.Page current = page.apply(next.get());
            for (JsonNode item : current.items()) {
                Listed repo = listed.apply(item);
                if (repo.archived()
                        || repo.name().isEmpty()
                        || repo.cloneUrl().isEmpty()
                        || repo.branch().isEmpty()) {
                    continue;
                }
                Optional<ProjectName> project = file.apply(repo, "pyproject.toml")
                        .flatMap(PackagingFiles::fromPyproject)
                        .or(() -> file.apply(repo, "setup.cfg").flatMap(PackagingFiles::fromSetupCfg));
                project.ifPresentOrElse(
                        p -> found.add(new DiscoveredRepository(p, repo.cloneUrl())),
                        () -> log.debug("repository {} declares no Python project name", repo.name()));
            }
            next = current.items().isEmpty() ? Optional.empty() : current.next();
        }
        return found;
    }
}

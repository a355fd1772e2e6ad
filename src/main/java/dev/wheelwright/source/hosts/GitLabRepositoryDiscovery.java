package dev.wheelwright.source.hosts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.source.DiscoveredRepository;
import dev.wheelwright.source.RepositoryDiscovery;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Group discovery through the GitLab REST API (v4): {@code GET {api}/groups/{group}/projects} with subgroups, not
 * archived (every page, following {@code Link: rel="next"}), then each project's raw {@code pyproject.toml} (else
 * {@code setup.cfg}) of its default branch through {@code GET {api}/projects/{id}/repository/files/{file}/raw}. The
 * token, if any, is sent as {@code PRIVATE-TOKEN} and never logged. Thread-safe.
 */
public final class GitLabRepositoryDiscovery implements RepositoryDiscovery {
    private final HostApi api;
    private final String group;

    /**
     * @param apiUrl e.g. {@code https://gitlab.example.com/api/v4}
     * @param group the group's id or full path (e.g. {@code acme/python})
     */
    public GitLabRepositoryDiscovery(
            String apiUrl, String group, Optional<String> token, Duration timeout, ObjectMapper json) {
        this.group = Objects.requireNonNull(group);
        this.api = new HostApi("GitLab API", apiUrl, token, "PRIVATE-TOKEN", "", timeout, json);
    }

    @Override
    public String describe() {
        return "GitLab group " + group + " at " + api.base();
    }

    @Override
    public List<DiscoveredRepository> discover() {
        return ListedRepositories.discover(
                api.url("/groups/" + HostApi.encode(group)
                        + "/projects?include_subgroups=true&archived=false&per_page=100&order_by=id&sort=asc"),
                url -> api.list(url, "the projects of group " + group),
                item -> new ListedRepositories.Listed(
                        item.path("id").asText(""),
                        item.path("http_url_to_repo").asText(""),
                        item.path("default_branch").asText(""),
                        item.path("archived").asBoolean(false)),
                (repo, path) -> api.raw(api.url("/projects/" + HostApi.encode(repo.name()) + "/repository/files/"
                        + HostApi.encode(path) + "/raw?ref=" + HostApi.encode(repo.branch()))));
    }
}

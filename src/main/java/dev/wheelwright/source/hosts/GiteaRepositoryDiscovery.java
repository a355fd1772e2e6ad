package dev.wheelwright.source.hosts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.source.DiscoveredRepository;
import dev.wheelwright.source.RepositoryDiscovery;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Organisation discovery through the Gitea / Forgejo REST API (v1): {@code GET {api}/orgs/{org}/repos} (every page,
 * following {@code Link: rel="next"}), then each repository's raw {@code pyproject.toml} (else {@code setup.cfg}) of
 * its default branch through {@code GET {api}/repos/{org}/{repo}/raw/{file}?ref={branch}}. The token, if any, is
 * sent as {@code Authorization: token …} and never logged. Thread-safe.
 */
public final class GiteaRepositoryDiscovery implements RepositoryDiscovery {
    private static final int PAGE_SIZE = 50; // Gitea's default maximum

    private final HostApi api;
    private final String org;

    /** @param apiUrl e.g. {@code https://gitea.example.com/api/v1} */
    public GiteaRepositoryDiscovery(
            String apiUrl, String org, Optional<String> token, Duration timeout, ObjectMapper json) {
        this.org = Objects.requireNonNull(org);
        this.api = new HostApi("Gitea API", apiUrl, token, "Authorization", "token ", timeout, json);
    }

    @Override
    public String describe() {
        return "Gitea organisation " + org + " at " + api.base();
    }

    /** One page; a Gitea that sends no {@code Link} header is paged by number while pages come back full. */
    private HostApi.Page page(String url) {
        HostApi.Page page = api.list(url, "the repositories of " + org);
        if (page.next().isPresent() || page.items().size() < PAGE_SIZE) {
            return page;
        }
        int number = Integer.parseInt(url.substring(url.lastIndexOf("&page=") + "&page=".length()));
        return new HostApi.Page(
                page.items(), Optional.of(url.substring(0, url.lastIndexOf("&page=")) + "&page=" + (number + 1)));
    }

    @Override
    public List<DiscoveredRepository> discover() {
        return ListedRepositories.discover(
                api.url("/orgs/" + HostApi.encode(org) + "/repos?limit=" + PAGE_SIZE + "&page=1"),
                this::page,
                item -> new ListedRepositories.Listed(
                        item.path("name").asText(""),
                        item.path("clone_url").asText(""),
                        item.path("default_branch").asText(""),
                        item.path("archived").asBoolean(false)),
                (repo, path) -> api.raw(api.url("/repos/" + HostApi.encode(org) + "/" + HostApi.encode(repo.name())
                        + "/raw/" + HostApi.encode(path) + "?ref=" + HostApi.encode(repo.branch()))));
    }
}

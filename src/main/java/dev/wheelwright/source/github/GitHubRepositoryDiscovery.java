package dev.wheelwright.source.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.common.HttpClients;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.source.DiscoveredRepository;
import dev.wheelwright.source.PackagingFiles;
import dev.wheelwright.source.RepositoryDiscovery;
import dev.wheelwright.source.SourceUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Organisation discovery through the GitHub / GitHub Enterprise REST API: {@code GET {api}/orgs/{org}/repos}
 * (every page, following {@code Link: rel="next"}), then for each repository that is not archived the raw
 * {@code pyproject.toml} (else {@code setup.cfg}) of its default branch through {@code GET
 * {api}/repos/{org}/{repo}/contents/{file}?ref={branch}}. The token, if any, is sent as a Bearer token and never
 * logged. Thread-safe.
 */
public final class GitHubRepositoryDiscovery implements RepositoryDiscovery {
    private static final Logger log = LoggerFactory.getLogger(GitHubRepositoryDiscovery.class);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
    private static final int MAX_PAGES = 100;

    private final URI api;
    private final String org;
    private final Optional<String> token;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    public GitHubRepositoryDiscovery(
            String apiUrl, String org, Optional<String> token, Duration timeout, ObjectMapper json) {
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.api = URI.create(base);
        this.org = Objects.requireNonNull(org);
        this.token = Objects.requireNonNull(token).filter(t -> !t.isEmpty());
        this.timeout = Objects.requireNonNull(timeout);
        this.json = Objects.requireNonNull(json);
        this.http = HttpClients.create(timeout, HttpClient.Redirect.NORMAL);
    }

    @Override
    public String describe() {
        return "organisation " + org + " at " + api;
    }

    @Override
    public List<DiscoveredRepository> discover() {
        List<DiscoveredRepository> found = new ArrayList<>();
        Optional<String> page = Optional.of(api + "/orgs/" + segment(org) + "/repos?per_page=100");
        for (int n = 0; page.isPresent() && n < MAX_PAGES; n++) {
            HttpResponse<String> response = get(page.get(), "application/vnd.github+json");
            if (response.statusCode() != 200) {
                throw new SourceUnavailableException("GitHub API answered " + response.statusCode()
                        + " listing the repositories of " + org + " at " + api);
            }
            JsonNode repos;
            try {
                repos = json.readTree(response.body());
            } catch (IOException e) {
                throw new SourceUnavailableException(
                        "GitHub API sent invalid JSON listing the repositories of " + org, e);
            }
            if (!repos.isArray()) {
                throw new SourceUnavailableException("GitHub API did not send a list of repositories for " + org);
            }
            for (JsonNode repo : repos) {
                if (repo.path("archived").asBoolean(false)) {
                    continue;
                }
                String name = repo.path("name").asText("");
                String cloneUrl = repo.path("clone_url").asText("");
                String branch = repo.path("default_branch").asText("");
                if (name.isEmpty() || cloneUrl.isEmpty() || branch.isEmpty()) {
                    continue;
                }
                projectName(name, branch)
                        .ifPresentOrElse(
                                project -> found.add(new DiscoveredRepository(project, cloneUrl)),
                                () -> log.debug("repository {}/{} declares no Python project name", org, name));
            }
            page = response.headers().firstValue("Link").flatMap(GitHubRepositoryDiscovery::next);
        }
        return found;
    }

    private Optional<ProjectName> projectName(String repo, String branch) {
        Optional<String> pyproject = file(repo, "pyproject.toml", branch);
        Optional<ProjectName> name = pyproject.flatMap(PackagingFiles::fromPyproject);
        if (name.isPresent()) {
            return name;
        }
        return file(repo, "setup.cfg", branch).flatMap(PackagingFiles::fromSetupCfg);
    }

    private Optional<String> file(String repo, String path, String branch) {
        String url = api + "/repos/" + segment(org) + "/" + segment(repo) + "/contents/" + path + "?ref="
                + URLEncoder.encode(branch, StandardCharsets.UTF_8);
        HttpResponse<String> response = get(url, "application/vnd.github.raw+json");
        if (response.statusCode() == 200) {
            return Optional.of(response.body());
        }
        if (response.statusCode() != 404) {
            log.warn("GitHub API answered {} for {} of {}/{}", response.statusCode(), path, org, repo);
        }
        return Optional.empty();
    }

    private HttpResponse<String> get(String url, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", accept)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .GET();
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot reach the GitHub API at " + api + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException("interrupted while calling the GitHub API at " + api, e);
        }
    }

    private static Optional<String> next(String link) {
        Matcher m = NEXT.matcher(link);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.wheelwright.source.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wheelwright.common.Json;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.source.DiscoveredRepository;
import dev.wheelwright.source.Discoveries;
import dev.wheelwright.source.RepositoryDiscovery;
import dev.wheelwright.source.SourceUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** #9: discovery of GitLab groups and Gitea organisations against tiny fakes of their REST APIs on loopback. */
class HostDiscoveryTest {
    private HttpServer api;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, String> links = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> tokens = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", this::answer);
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    private String base(String path) {
        return "http://127.0.0.1:" + api.getAddress().getPort() + path;
    }

    @Test
    void a_gitlab_group_is_listed_page_by_page_and_each_projects_packaging_file_names_it() {
        String projects = "/api/v4/groups/acme%2Fpython/projects?include_subgroups=true&archived=false&per_page=100"
                + "&order_by=id&sort=asc";
        answers.put(
                projects,
                "[" + gitlabProject(11, "utils", "main", false) + "," + gitlabProject(12, "frozen", "main", true)
                        + "]");
        links.put(projects, "<" + base(projects + "&page=2") + ">; rel=\"next\"");
        answers.put(
                projects + "&page=2",
                "[" + gitlabProject(13, "legacy", "trunk", false) + "," + gitlabProject(14, "docs", "main", false)
                        + "]");
        answers.put(
                "/api/v4/projects/11/repository/files/pyproject.toml/raw?ref=main",
                "[project]\nname = \"acme-utils\"\n");
        answers.put(
                "/api/v4/projects/12/repository/files/pyproject.toml/raw?ref=main", "[project]\nname = \"frozen\"\n");
        answers.put("/api/v4/projects/13/repository/files/setup.cfg/raw?ref=trunk", "[metadata]\nname = acme_legacy\n");
        RepositoryDiscovery gitlab = new GitLabRepositoryDiscovery(
                base("/api/v4/"), "acme/python", Optional.of("glpat-secret"), Duration.ofSeconds(5), Json.newMapper());

        List<DiscoveredRepository> found = gitlab.discover();

        assertThat(found)
                .containsExactly(
                        new DiscoveredRepository(
                                ProjectName.parse("acme-utils"), "https://gitlab.example.com/acme/python/utils.git"),
                        new DiscoveredRepository(
                                ProjectName.parse("acme_legacy"), "https://gitlab.example.com/acme/python/legacy.git"));
        assertThat(tokens).isNotEmpty().allMatch("PRIVATE-TOKEN glpat-secret"::equals);
        assertThat(requests).noneMatch(r -> r.contains("/projects/12/")); // archived: not even read
        assertThat(gitlab.describe()).contains("acme/python").doesNotContain("glpat");
    }

    @Test
    void a_gitea_organisation_without_link_headers_is_paged_by_number_while_pages_are_full() {
        StringBuilder full = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            full.append(i == 0 ? "" : ",").append(giteaRepo("repo" + i, "main", false));
        }
        answers.put("/api/v1/orgs/acme/repos?limit=50&page=1", full.append("]").toString());
        answers.put("/api/v1/orgs/acme/repos?limit=50&page=2", "[" + giteaRepo("tools", "dev", false) + "]");
        answers.put("/api/v1/repos/acme/repo7/raw/pyproject.toml?ref=main", "[project]\nname = \"seven\"\n");
        answers.put("/api/v1/repos/acme/tools/raw/pyproject.toml?ref=dev", "[project]\nname = \"acme-tools\"\n");
        RepositoryDiscovery gitea = new GiteaRepositoryDiscovery(
                base("/api/v1"), "acme", Optional.of("tea"), Duration.ofSeconds(5), Json.newMapper());

        List<DiscoveredRepository> found = gitea.discover();

        assertThat(found).extracting(r -> r.project().normalized()).containsExactly("seven", "acme-tools");
        assertThat(found.get(1).url()).isEqualTo("https://gitea.example.com/acme/tools.git");
        assertThat(requests).contains("/api/v1/orgs/acme/repos?limit=50&page=2");
        assertThat(requests).doesNotContain("/api/v1/orgs/acme/repos?limit=50&page=3");
        assertThat(tokens).isNotEmpty().allMatch("Authorization token tea"::equals);
    }

    @Test
    void a_failing_host_fails_the_whole_listing_so_nothing_known_is_dropped() {
        answers.put("/api/v1/orgs/acme/repos?limit=50&page=1", "[" + giteaRepo("tools", "dev", false) + "]");
        answers.put("/api/v1/repos/acme/tools/raw/pyproject.toml?ref=dev", "[project]\nname = \"acme-tools\"\n");
        RepositoryDiscovery gitea = new GiteaRepositoryDiscovery(
                base("/api/v1"), "acme", Optional.empty(), Duration.ofSeconds(5), Json.newMapper());
        RepositoryDiscovery gitlab = new GitLabRepositoryDiscovery(
                base("/api/v4"), "missing", Optional.empty(), Duration.ofSeconds(5), Json.newMapper());
        Discoveries both = new Discoveries(List.of(gitea, gitlab));

        assertThat(gitea.discover()).hasSize(1);
        assertThatThrownBy(both::discover)
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("GitLab API answered 404 listing the projects of group missing");
        assertThat(both.describe()).contains("Gitea organisation acme").contains("GitLab group missing");
    }

    private static String gitlabProject(int id, String path, String branch, boolean archived) {
        return "{\"id\":%d,\"path\":\"%s\",\"http_url_to_repo\":\"https://gitlab.example.com/acme/python/%s.git\","
                        .formatted(id, path, path)
                + "\"default_branch\":\"%s\",\"archived\":%s}".formatted(branch, archived);
    }

    private static String giteaRepo(String name, String branch, boolean archived) {
        return "{\"name\":\"%s\",\"clone_url\":\"https://gitea.example.com/acme/%s.git\",\"default_branch\":\"%s\",\"archived\":%s}"
                .formatted(name, name, branch, archived);
    }

    private void answer(HttpExchange ex) throws IOException {
        String target = ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null
                        ? ""
                        : "?" + ex.getRequestURI().getRawQuery());
        requests.add(target);
        ex.getRequestHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase("PRIVATE-TOKEN") || name.equalsIgnoreCase("Authorization")) {
                tokens.add((name.equalsIgnoreCase("Authorization") ? "Authorization" : "PRIVATE-TOKEN") + " "
                        + values.get(0));
            }
        });
        String body = answers.get(target);
        if (links.containsKey(target)) {
            ex.getResponseHeaders().add("Link", links.get(target));
        }
        byte[] bytes = (body == null ? "{\"message\":\"404 Not Found\"}" : body).getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}

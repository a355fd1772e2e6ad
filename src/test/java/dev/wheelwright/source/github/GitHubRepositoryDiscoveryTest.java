package dev.wheelwright.source.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wheelwright.common.Json;
import dev.wheelwright.source.DiscoveredRepository;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Discovery against a tiny fake of the GitHub REST API on loopback, with canned answers. */
class GitHubRepositoryDiscoveryTest {
    private HttpServer api;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> accepts = new CopyOnWriteArrayList<>();
    private volatile int listingStatus = 200;

    private String base() {
        return "http://127.0.0.1:" + api.getAddress().getPort() + "/api/v3";
    }

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

    private void answer(HttpExchange ex) throws IOException {
        authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
        accepts.add(String.valueOf(ex.getRequestHeaders().getFirst("Accept")));
        String path = ex.getRequestURI().getPath();
        String query = String.valueOf(ex.getRequestURI().getQuery());
        String repo =
                "{\"name\":\"%s\",\"clone_url\":\"https://git.example.com/acme/%s.git\",\"default_branch\":\"%s\",\"archived\":%s}";
        Map<String, String> files = Map.of(
                "/api/v3/repos/acme/utils/contents/pyproject.toml?ref=main", "[project]\nname = \"acme-utils\"\n",
                "/api/v3/repos/acme/old/contents/pyproject.toml?ref=trunk", "[build-system]\nrequires = []\n",
                "/api/v3/repos/acme/old/contents/setup.cfg?ref=trunk", "[metadata]\nname = acme_old\n",
                "/api/v3/repos/acme/gone/contents/pyproject.toml?ref=main", "[project]\nname = \"gone\"\n");
        if (path.equals("/api/v3/orgs/acme/repos") && !query.contains("page=2")) {
            if (listingStatus != 200) {
                send(ex, listingStatus, "{\"message\":\"boom\"}", Map.of());
                return;
            }
            send(
                    ex,
                    200,
                    "[" + repo.formatted("utils", "utils", "main", false) + ","
                            + repo.formatted("gone", "gone", "main", true) + "]",
                    Map.of(
                            "Link",
                            "<" + base() + "/orgs/acme/repos?per_page=100&page=2>; rel=\"next\", <" + base()
                                    + "/orgs/acme/repos?per_page=100&page=2>; rel=\"last\""));
        } else if (path.equals("/api/v3/orgs/acme/repos")) {
            send(
                    ex,
                    200,
                    "[" + repo.formatted("old", "old", "trunk", false) + ","
                            + repo.formatted("docs", "docs", "main", false) + "]",
                    Map.of());
        } else {
            String file = files.get(path + "?" + query);
            send(ex, file == null ? 404 : 200, file == null ? "{\"message\":\"Not Found\"}" : file, Map.of());
        }
    }

    private static void send(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void finds_every_page_of_repositories_and_their_project_names_skipping_archived_and_nameless_ones() {
        GitHubRepositoryDiscovery discovery = new GitHubRepositoryDiscovery(
                base(), "acme", Optional.of("tok"), Duration.ofSeconds(5), Json.newMapper());

        List<DiscoveredRepository> found = discovery.discover();

        assertThat(found)
                .extracting(r -> r.project().normalized() + " " + r.url())
                .containsExactlyInAnyOrder(
                        "acme-utils https://git.example.com/acme/utils.git",
                        "acme-old https://git.example.com/acme/old.git");
        assertThat(authorizations).isNotEmpty().allMatch(a -> a.equals("Bearer tok"));
        assertThat(accepts).contains("application/vnd.github+json", "application/vnd.github.raw+json");
        assertThat(discovery.describe()).doesNotContain("tok");
    }

    @Test
    void a_failing_listing_is_reported_as_unavailable() {
        listingStatus = 500;
        GitHubRepositoryDiscovery discovery = new GitHubRepositoryDiscovery(
                base(), "acme", Optional.empty(), Duration.ofSeconds(5), Json.newMapper());

        assertThatThrownBy(discovery::discover)
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("500");
        assertThat(authorizations).allMatch(a -> a.equals("null"));
    }
}

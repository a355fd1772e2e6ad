package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.testing.TestServer;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #13: {@code /healthz} and {@code /readyz} answer JSON; degraded remotes are listed without failing readiness. */
class HealthIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void healthz_says_up_in_json() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            HttpResponse<byte[]> r = server.get("/healthz");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("up");
        }
    }

    @Test
    void a_dead_git_remote_and_a_dead_upstream_are_listed_while_the_server_stays_ready() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String deadRemote = dir.resolve("no-such-repo.git").toUri().toString();
        try (TestServer server = TestServer.start(
                dir.resolve("data"),
                "git: {poll-interval: 0s, projects: [{name: gone-lib, url: \"" + deadRemote + "\"}]}\n"
                        + "upstreams:\n  - {name: deadpypi, url: \"http://127.0.0.1:" + closedPort + "/simple/\","
                        + " connect-timeout: 1s}\n")) {
            assertThat(server.get("/simple/requests/").statusCode()).isEqualTo(502);

            JsonNode ready = awaitGitDegraded(server);

            assertThat(ready.path("status").asText()).isEqualTo("ready");
            assertThat(ready.path("checks").path("metadata").asText()).isEqualTo("ok");
            assertThat(ready.path("checks").path("migrations").asText()).isEqualTo("ok");
            assertThat(ready.path("checks").path("artifacts").asText()).isEqualTo("ok");
            assertThat(ready.path("degraded").path("git").get(0).path("name").asText())
                    .isEqualTo(deadRemote);
            assertThat(ready.path("degraded").path("git").get(0).path("problem").asText())
                    .isNotEmpty();
            assertThat(ready.path("degraded")
                            .path("upstreams")
                            .get(0)
                            .path("name")
                            .asText())
                    .isEqualTo("deadpypi");
        }
    }

    @Test
    void a_metadata_store_that_does_not_answer_is_503_not_ready_in_json() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("data"))) {
            server.running().store().close();

            HttpResponse<byte[]> r = server.get("/readyz");

            assertThat(r.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("status").asText()).isEqualTo("not ready");
            assertThat(body.path("checks").path("metadata").asText()).isEqualTo("the metadata store does not answer");
            assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
        }
    }

    private static JsonNode awaitGitDegraded(TestServer server) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            HttpResponse<byte[]> r = server.get("/readyz");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            if (body.path("degraded").path("git").size() > 0) {
                return body;
            }
            assertThat(Instant.now())
                    .as("the git fetch of the dead remote never failed")
                    .isBefore(deadline);
            Thread.sleep(50);
        }
    }
}

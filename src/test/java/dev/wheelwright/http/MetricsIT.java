package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.testing.Multipart;
import dev.wheelwright.testing.Scrape;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #13: {@code /metrics} through Micrometer: each thing the server does moves its series by exactly its amount. */
class MetricsIT {
    private static final Duration BUILD_WAIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void a_scrape_after_an_upload_a_build_a_failed_request_and_an_upstream_miss_counts_each_exactly() throws Exception {
        try (TestServer server = TestServer.start(
                dir.resolve("data"),
                "upstreams:\n  - {name: tree, url: \"file:///opt/pypi/simple/\"}\n"
                        + "build: {index-url: \"file:///opt/pypi/simple\", workers: 1}\n")) {
            String uploader = server.token("ci", Scope.UPLOAD);
            Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("wheels")), "metered", "1.0", "2.1");
            Path other = Wheels.simple(Files.createDirectories(dir.resolve("other")), "metered", "1.0", "2.2");
            Path good = SourceProjects.hatchling(dir.resolve("projects"), "built-demo", "1.0.0");
            Path wrong = SourceProjects.hatchling(dir.resolve("wrong"), "wrong-demo", "2.0.0");
            Scrape before = scrape(server);

            assertThat(server.upload(uploader, TestServer.twineForm(wheel)).statusCode())
                    .isEqualTo(200);
            assertThat(server.upload(uploader, TestServer.twineForm(other)).statusCode())
                    .isEqualTo(409);
            assertThat(server.upload(null, new Multipart().field(":action", "file_upload"))
                            .statusCode())
                    .isEqualTo(401);
            assertThat(server.get("/simple/-not-a-name-/").statusCode()).isEqualTo(400);
            assertThat(server.get("/simple/six/").statusCode()).isEqualTo(200);
            server.running().builds().submit(SourceProjects.request("built-demo", "1.0.0", "v1.0.0", good));
            server.running().builds().submit(SourceProjects.request("wrong-demo", "1.0.0", "v1.0.0", wrong));
            assertThat(server.running()
                            .builds()
                            .await("built-demo", "1.0.0", BUILD_WAIT)
                            .orElseThrow()
                            .status())
                    .isEqualTo(BuildRecord.Status.SUCCEEDED);
            assertThat(server.running()
                            .builds()
                            .await("wrong-demo", "1.0.0", BUILD_WAIT)
                            .orElseThrow()
                            .status())
                    .isEqualTo(BuildRecord.Status.FAILED);
            Scrape after = scrape(server);

            // requests by route template and status (the first scrape is counted once it has answered)
            assertThat(delta(
                            before,
                            after,
                            "http_server_requests_seconds_count",
                            "method",
                            "POST",
                            "uri",
                            "/legacy/",
                            "status",
                            "200"))
                    .isEqualTo(1);
            assertThat(delta(
                            before,
                            after,
                            "http_server_requests_seconds_count",
                            "method",
                            "POST",
                            "uri",
                            "/legacy/",
                            "status",
                            "409"))
                    .isEqualTo(1);
            assertThat(delta(
                            before,
                            after,
                            "http_server_requests_seconds_count",
                            "method",
                            "POST",
                            "uri",
                            "/legacy/",
                            "status",
                            "401"))
                    .isEqualTo(1);
            assertThat(delta(
                            before,
                            after,
                            "http_server_requests_seconds_count",
                            "method",
                            "GET",
                            "uri",
                            "/simple/{project}/",
                            "status",
                            "400"))
                    .isEqualTo(1);
            assertThat(delta(
                            before,
                            after,
                            "http_server_requests_seconds_count",
                            "method",
                            "GET",
                            "uri",
                            "/metrics",
                            "status",
                            "200"))
                    .isEqualTo(1);
            assertThat(after.value(
                            "http_server_requests_seconds_bucket",
                            "method",
                            "POST",
                            "uri",
                            "/legacy/",
                            "status",
                            "200",
                            "le",
                            "+Inf"))
                    .isEqualTo(1);
            // uploads
            assertThat(delta(before, after, "wheelwright_uploads_total", "outcome", "stored"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "wheelwright_upload_bytes_total")).isEqualTo(Files.size(wheel));
            assertThat(delta(before, after, "wheelwright_upload_rejections_total", "reason", "duplicate_file"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "wheelwright_upload_rejections_total", "reason", "authentication_required"))
                    .isEqualTo(1);
            // upstream: one listing missed, fetched once from the tree
            assertThat(delta(before, after, "wheelwright_upstream_cache_misses_total", "kind", "listing"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "wheelwright_upstream_requests_total", "upstream", "tree", "kind", "page"))
                    .isEqualTo(1);
            assertThat(delta(
                            before,
                            after,
                            "wheelwright_upstream_request_seconds_count",
                            "upstream",
                            "tree",
                            "kind",
                            "page"))
                    .isEqualTo(1);
            // builds: one succeeded, one failed in the artifact check
            assertThat(delta(before, after, "wheelwright_builds_enqueued_total"))
                    .isEqualTo(2);
            assertThat(delta(before, after, "wheelwright_build_duration_seconds_count", "outcome", "succeeded"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "wheelwright_build_duration_seconds_count", "outcome", "failed"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "wheelwright_build_failures_total", "reason", "check"))
                    .isEqualTo(1);
            assertThat(after.value("wheelwright_builds_running")).isZero();
            assertThat(after.value("wheelwright_builds_queued")).isZero();
            // nothing failed in storage; the JVM and Jetty's pool are there
            assertThat(after.samples())
                    .filteredOn(s -> s.name().equals("wheelwright_storage_errors_total"))
                    .isNotEmpty()
                    .allSatisfy(s -> assertThat(s.value()).isZero());
            assertThat(after.has("jvm_memory_used_bytes")).isTrue();
            assertThat(after.has("jvm_threads_live_threads")).isTrue();
            assertThat(after.value("jetty_threads_current")).isPositive();
        }
    }

    @Test
    void with_a_metrics_token_only_that_bearer_token_scrapes() throws Exception {
        try (TestServer server = TestServer.start(
                dir.resolve("data"),
                "auth: {anonymous-read: false}\nmetrics: {token-env: SCRAPE_TOKEN}\n",
                Map.of("SCRAPE_TOKEN", "scrape-secret-1234"))) {
            String reader = server.token("reader", Scope.READ);

            assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
            assertThat(server.get("/metrics", "Authorization", "Bearer wrong").statusCode())
                    .isEqualTo(401);
            assertThat(server.get("/metrics", "Authorization", TestServer.basic("__token__", reader))
                            .statusCode())
                    .isEqualTo(401);
            var scraped = server.get("/metrics", "Authorization", "Bearer scrape-secret-1234");
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(server.get("/simple/", "Authorization", "Bearer scrape-secret-1234")
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    private static Scrape scrape(TestServer server) throws Exception {
        var response = server.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return Scrape.parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}

package dev.wheelwright.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.Scrape;
import dev.wheelwright.testing.StaticIndexServer;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream proxy against a real HTTP upstream on loopback: a static server over the machine's wheel mirror. */
class UpstreamProxyIT {
    private static final Path MIRROR = Path.of("/opt/pypi");
    private static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static String config(String upstreamUrl, String proxy) {
        return "upstreams:\n  - {name: mirror, url: \"" + upstreamUrl + "\"}\nproxy: {" + proxy + "}\n";
    }

    private static String sha256In(String page, String filename) {
        Matcher m = Pattern.compile(Pattern.quote(filename) + "#sha256=([0-9a-f]{64})")
                .matcher(page);
        assertThat(m.find()).as("sha256 of %s on the mirror page", filename).isTrue();
        return m.group(1);
    }

    @Test
    void pip_23_and_26_install_requests_through_the_proxy_of_an_html_only_upstream() throws Exception {
        try (StaticIndexServer upstream = new StaticIndexServer(MIRROR);
                TestServer server = TestServer.start(dir.resolve("data"), config(upstream.indexUrl(), ""))) {
            for (List<String> pip : List.of(PythonTools.pip23(), PythonTools.pip26())) {
                Path target = Files.createTempDirectory(dir, "target");

                PythonTools.pipInstall(pip, server.indexUrl(), target, List.of("requests"), Map.of())
                        .requireSuccess("pip install requests through the proxy");

                assertThat(target.resolve("requests/__init__.py")).exists();
                assertThat(target.resolve("urllib3")).isDirectory();
                assertThat(target.resolve("idna")).isDirectory();
            }

            HttpResponse<byte[]> page = server.get("/simple/requests/", "Accept", JSON);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).contains(JSON);
            JsonNode doc = MAPPER.readTree(page.body());
            String mirrorPage = Files.readString(MIRROR.resolve("simple/requests/index.html"));
            String wheel = "requests-2.34.2-py3-none-any.whl";
            assertThat(doc.path("name").asText()).isEqualTo("requests");
            assertThat(doc.path("versions")).extracting(JsonNode::asText).containsExactly("2.34.2");
            JsonNode file = doc.path("files").get(0);
            assertThat(file.path("filename").asText()).isEqualTo(wheel);
            assertThat(file.path("url").asText()).isEqualTo("/files/requests/" + wheel);
            assertThat(file.path("hashes").path("sha256").asText()).isEqualTo(sha256In(mirrorPage, wheel));
            assertThat(file.path("size").asLong()).isEqualTo(Files.size(MIRROR.resolve("files/" + wheel)));
            assertThat(file.path("core-metadata").path("sha256").asText()).matches("[0-9a-f]{64}");
            assertThat(doc.path("meta").path("api-version").asText()).isEqualTo("1.4");
            HttpResponse<byte[]> html = server.get("/simple/requests/");
            assertThat(new String(html.body(), StandardCharsets.UTF_8))
                    .contains("href=\"/files/requests/" + wheel + "#sha256=" + sha256In(mirrorPage, wheel) + "\"");
            assertThat(upstream.requests("/files/" + wheel)).isEqualTo(1); // the second pip was served from the cache
            // #13: the series keep their names; Micrometer writes labels in name order, so they are found by label set
            Scrape metrics = Scrape.parse(new String(server.get("/metrics").body(), StandardCharsets.UTF_8));
            assertThat(metrics.value("wheelwright_upstream_cache_hits_total", "kind", "file"))
                    .isPositive();
            assertThat(metrics.value("wheelwright_upstream_requests_total", "upstream", "mirror", "kind", "page"))
                    .isPositive();
        }
    }

    @Test
    void after_the_upstream_stops_fetched_packages_still_install_even_after_a_restart() throws Exception {
        Path data = dir.resolve("data");
        String yaml;
        try (StaticIndexServer upstream = new StaticIndexServer(MIRROR)) {
            yaml = config(upstream.indexUrl(), "listing-ttl: 0s"); // every page request revalidates
            try (TestServer server = TestServer.start(data, yaml)) {
                PythonTools.pipInstall(
                                PythonTools.pip23(),
                                server.indexUrl(),
                                dir.resolve("t1"),
                                List.of("requests"),
                                Map.of())
                        .requireSuccess("first install");
            }
        }
        try (TestServer server = TestServer.start(data, yaml)) { // upstream gone, proxy restarted

            PythonTools.pipInstall(
                            PythonTools.pip26(), server.indexUrl(), dir.resolve("t2"), List.of("requests"), Map.of())
                    .requireSuccess("install from the cache with the upstream down");
            long start = System.nanoTime();
            HttpResponse<byte[]> uncached = server.get("/simple/six/");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(dir.resolve("t2/requests/__init__.py")).exists();
            assertThat(uncached.statusCode()).isIn(404, 502, 504);
            assertThat(uncached.statusCode()).isEqualTo(502);
            assertThat(new String(uncached.body(), StandardCharsets.UTF_8))
                    .contains("six")
                    .doesNotContain("Exception");
            assertThat(millis).isLessThan(10_000);
        }
    }

    @Test
    void an_upstream_that_accepts_but_never_answers_gives_502_within_the_read_timeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/simple/";
            try (TestServer server = TestServer.start(dir.resolve("data"), config(url, "read-timeout: 2s"))) {
                long start = System.nanoTime();

                HttpResponse<byte[]> page = server.get("/simple/requests/");

                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(page.statusCode()).isEqualTo(502);
                assertThat(millis).isBetween(1_500L, 10_000L);
            }
        }
    }

    @Test
    void an_internal_project_named_like_a_public_one_shows_only_its_own_files() throws Exception {
        try (StaticIndexServer upstream = new StaticIndexServer(MIRROR);
                TestServer server = TestServer.start(dir.resolve("data"), config(upstream.indexUrl(), ""))) {
            Path wheel = Wheels.simple(dir, "idna", "99.0", "2.1");
            assertThat(server.upload(server.token("ci", Scope.UPLOAD), TestServer.twineForm(wheel))
                            .statusCode())
                    .isEqualTo(200);

            JsonNode doc =
                    MAPPER.readTree(server.get("/simple/idna/", "Accept", JSON).body());
            String html = new String(server.get("/simple/idna/").body(), StandardCharsets.UTF_8);
            HttpResponse<byte[]> publicFile = server.get("/files/idna/idna-3.20-py3-none-any.whl");

            assertThat(doc.path("versions")).extracting(JsonNode::asText).containsExactly("99.0");
            assertThat(doc.path("files"))
                    .extracting(f -> f.path("filename").asText())
                    .containsExactly("idna-99.0-py3-none-any.whl");
            assertThat(html).contains("idna-99.0-py3-none-any.whl").doesNotContain("idna-3.20");
            assertThat(publicFile.statusCode()).isEqualTo(404);
            assertThat(upstream.requests("/simple/idna/")).isZero();
        }
    }

    @Test
    void a_local_project_opted_in_to_merging_lists_upstream_files_too() throws Exception {
        try (StaticIndexServer upstream = new StaticIndexServer(MIRROR);
                TestServer server =
                        TestServer.start(dir.resolve("data"), config(upstream.indexUrl(), "allow-upstream: [IDNA]"))) {
            Path wheel = Wheels.simple(dir, "idna", "99.0", "2.1");
            server.upload(server.token("ci", Scope.UPLOAD), TestServer.twineForm(wheel));

            JsonNode doc =
                    MAPPER.readTree(server.get("/simple/idna/", "Accept", JSON).body());

            assertThat(doc.path("versions")).extracting(JsonNode::asText).containsExactly("3.20", "99.0");
            assertThat(server.get("/files/idna/idna-3.20-py3-none-any.whl").statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void two_concurrent_first_downloads_of_one_file_make_one_upstream_request() throws Exception {
        String wheel = "urllib3-2.8.0-py3-none-any.whl";
        try (StaticIndexServer upstream = new StaticIndexServer(MIRROR);
                TestServer server = TestServer.start(dir.resolve("data"), config(upstream.indexUrl(), ""))) {
            assertThat(server.get("/simple/urllib3/").statusCode()).isEqualTo(200);
            upstream.holdFiles();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/files/urllib3/" + wheel)))
                    .timeout(Duration.ofSeconds(60))
                    .build();

            CompletableFuture<HttpResponse<byte[]>> first =
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
            CompletableFuture<HttpResponse<byte[]>> second =
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
            waitFor(() -> misses(server) == 2 && upstream.requests("/files/" + wheel) == 1);
            upstream.release();

            byte[] expected = Files.readAllBytes(MIRROR.resolve("files/" + wheel));
            assertThat(first.get(60, TimeUnit.SECONDS).body()).isEqualTo(expected);
            assertThat(second.get(60, TimeUnit.SECONDS).body()).isEqualTo(expected);
            assertThat(upstream.requests("/files/" + wheel)).isEqualTo(1);
            assertThat(server.get("/files/urllib3/" + wheel).body()).isEqualTo(expected);
            assertThat(upstream.requests("/files/" + wheel)).isEqualTo(1);
        }
    }

    private static long misses(TestServer server) throws Exception {
        Scrape metrics = Scrape.parse(new String(server.get("/metrics").body(), StandardCharsets.UTF_8));
        return (long) metrics.value("wheelwright_upstream_cache_misses_total", "kind", "file");
    }

    @Test
    void a_file_whose_bytes_do_not_match_the_upstream_hash_is_refused_and_not_cached() throws Exception {
        Path tree = dir.resolve("tree");
        Files.createDirectories(tree.resolve("simple/badpkg"));
        Files.createDirectories(tree.resolve("files"));
        Path small = Wheels.simple(tree.resolve("files"), "badpkg", "1.0", "2.1");
        Path large = tree.resolve("files/badpkg-2.0-py3-none-any.whl");
        byte[] noise = new byte[3 * 1024 * 1024];
        new Random(4).nextBytes(noise);
        Files.write(large, noise);
        String wrong = "0".repeat(64);
        Files.writeString(
                tree.resolve("simple/badpkg/index.html"),
                "<!DOCTYPE html><html><body>\n"
                        + "<a href=\"../../files/" + small.getFileName() + "#sha256=" + wrong + "\">"
                        + small.getFileName() + "</a>\n"
                        + "<a href=\"../../files/" + large.getFileName() + "#sha256=" + wrong + "\">"
                        + large.getFileName() + "</a>\n"
                        + "</body></html>\n");
        try (StaticIndexServer upstream = new StaticIndexServer(tree);
                TestServer server = TestServer.start(dir.resolve("data"), config(upstream.indexUrl(), ""))) {

            HttpResponse<byte[]> refused = server.get("/files/badpkg/" + small.getFileName());
            HttpResponse<byte[]> again = server.get("/files/badpkg/" + small.getFileName());

            assertThat(refused.statusCode()).isEqualTo(502);
            assertThat(new String(refused.body(), StandardCharsets.UTF_8))
                    .contains("does not match")
                    .contains(small.getFileName().toString());
            assertThat(again.statusCode()).isEqualTo(502);
            assertThat(upstream.requests("/files/" + small.getFileName())).isEqualTo(2); // nothing was cached
            assertThat(server.running()
                            .store()
                            .upstreamCache()
                            .cachedUpstreamFile(small.getFileName().toString()))
                    .isEmpty();
            // a large file is already streaming when the mismatch shows: the connection is cut, never completed
            assertThatThrownBy(() -> server.get("/files/badpkg/" + large.getFileName()))
                    .isInstanceOf(IOException.class);
            assertThat(server.running()
                            .store()
                            .upstreamCache()
                            .cachedUpstreamFile(large.getFileName().toString()))
                    .isEmpty();
        }
    }

    @Test
    void a_file_tree_upstream_is_served_with_metadata_and_an_unknown_project_is_404() throws Exception {
        try (TestServer server = TestServer.start(
                dir.resolve("data"), config(MIRROR.resolve("simple").toUri().toString(), ""))) {
            String wheel = "certifi-2026.7.22-py3-none-any.whl";

            HttpResponse<byte[]> page = server.get("/simple/Certifi/");
            HttpResponse<byte[]> file = server.get("/files/certifi/" + wheel);
            HttpResponse<byte[]> metadata = server.get("/files/certifi/" + wheel + ".metadata");
            HttpResponse<byte[]> unknown = server.get("/simple/no-such-project-here/");

            assertThat(page.statusCode()).isEqualTo(301);
            assertThat(page.headers().firstValue("Location")).contains("/simple/certifi/");
            assertThat(file.body()).isEqualTo(Files.readAllBytes(MIRROR.resolve("files/" + wheel)));
            assertThat(new String(metadata.body(), StandardCharsets.UTF_8)).contains("Name: certifi");
            assertThat(unknown.statusCode()).isEqualTo(404);
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean met() throws Exception;
    }

    /** Polls the condition until it holds, failing after 30 s. */
    private static void waitFor(Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}

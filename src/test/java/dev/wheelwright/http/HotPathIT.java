package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.AccessLog;
import dev.wheelwright.testing.Scrape;
import dev.wheelwright.testing.StaticIndexServer;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot paths ({@link HotPages}, {@link HotFiles}) answer plain simple-page and file requests before the router, with
 * the very bytes and headers the routes give, one access log line and one meter per request; every other request goes
 * on to the routes, which answer it as before, and what the hot path got from the index is not asked for again.
 */
class HotPathIT {
    private static final String JSON = "application/vnd.pypi.simple.v1+json";
    /** The headers a page answer is made of (not Date, not the per-request id). */
    private static final List<String> PAGE_HEADERS = List.of(
            "content-type",
            "content-length",
            "content-encoding",
            "etag",
            "vary",
            "cache-control",
            "x-content-type-options",
            "referrer-policy",
            "content-security-policy",
            "x-frame-options");

    @TempDir
    Path data;

    @TempDir
    Path work;

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void upload(String name, String version) throws Exception {
        String token = server.token("ci-" + name + version, Scope.UPLOAD);
        Path wheel = Wheels.simple(work, name, version, "2.1");
        assertThat(server.upload(token, TestServer.twineForm(wheel)).statusCode())
                .isEqualTo(200);
    }

    private double hot() throws Exception {
        return hot("pages");
    }

    /** Requests a hot path answered so far; {@code credentials}: the request headers that let /metrics be read. */
    private double hot(String path, String... credentials) throws Exception {
        Scrape metrics =
                Scrape.parse(new String(server.get("/metrics", credentials).body(), StandardCharsets.UTF_8));
        return metrics.value("wheelwright_http_hot_requests_total", "path", path);
    }

    /** The named headers of a response, for comparing two answers. */
    private static Map<String, List<String>> headers(HttpResponse<?> response, List<String> names) {
        Map<String, List<String>> headers = new TreeMap<>();
        for (String name : names) {
            headers.put(name, response.headers().allValues(name));
        }
        return headers;
    }

    @Test
    void plain_page_requests_are_answered_on_the_hot_path_exactly_as_the_routes_answer_them() throws Exception {
        server = TestServer.start(data);
        upload("alpha", "1.0");
        upload("alpha", "1.1");
        int asked = 0;
        double before = hot();
        for (String path : List.of("/simple/", "/simple/alpha/")) {
            for (String accept : List.of("text/html", JSON, "application/vnd.pypi.simple.v1+html")) {
                for (String encoding : List.of("identity", "gzip")) {
                    HttpResponse<byte[]> hot = server.get(path, "Accept", accept, "Accept-Encoding", encoding);
                    // a cookie sends the request on to the routes
                    HttpResponse<byte[]> routed =
                            server.get(path, "Accept", accept, "Accept-Encoding", encoding, "Cookie", "unrelated=1");
                    String etag = hot.headers().firstValue("ETag").orElseThrow();
                    HttpResponse<byte[]> hot304 =
                            server.get(path, "Accept", accept, "Accept-Encoding", encoding, "If-None-Match", etag);
                    HttpResponse<byte[]> routed304 = server.get(
                            path,
                            "Accept",
                            accept,
                            "Accept-Encoding",
                            encoding,
                            "If-None-Match",
                            etag,
                            "Cookie",
                            "unrelated=1");
                    asked += 2;

                    assertThat(hot.statusCode())
                            .as("%s %s %s", path, accept, encoding)
                            .isEqualTo(200);
                    assertThat(hot.body()).isEqualTo(routed.body());
                    assertThat(headers(hot, PAGE_HEADERS)).isEqualTo(headers(routed, PAGE_HEADERS));
                    assertThat(hot.headers().firstValue("X-Request-Id")).isPresent();
                    assertThat(hot304.statusCode()).isEqualTo(304);
                    assertThat(routed304.statusCode()).isEqualTo(304);
                    assertThat(headers(hot304, PAGE_HEADERS)).isEqualTo(headers(routed304, PAGE_HEADERS));
                }
            }
        }
        HttpResponse<String> head = server.send(head("/simple/alpha/"));
        HttpResponse<String> routedHead = server.send(head("/simple/alpha/", "Cookie", "unrelated=1"));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length"))
                .isEqualTo(routedHead.headers().firstValue("Content-Length"));
        assertThat(head.headers().firstValue("ETag"))
                .isEqualTo(routedHead.headers().firstValue("ETag"));
        assertThat(hot() - before).isEqualTo(asked + 1);
    }

    private HttpRequest head(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request.build();
    }

    @Test
    void requests_the_hot_path_does_not_answer_go_on_to_the_routes() throws Exception {
        server = TestServer.start(data);
        upload("alpha", "1.0");
        double before = hot();

        assertThat(server.get("/simple/alpha/", "Cookie", "a=b").statusCode()).isEqualTo(200);
        assertThat(server.get("/simple/alpha/?format=" + JSON).headers().firstValue("Content-Type"))
                .contains(JSON);
        assertThat(server.get("/simple/Alpha/").statusCode()).isEqualTo(301);
        assertThat(server.get("/simple/alpha").statusCode()).isEqualTo(301);
        assertThat(server.get("/simple").statusCode()).isEqualTo(301);
        assertThat(server.get("/simple/al%70ha/").statusCode()).isEqualTo(301);
        assertThat(server.get("/simple/alpha/", "Accept", "image/png").statusCode())
                .isEqualTo(406);
        assertThat(server.get("/simple/alpha/", "Authorization", "Bearer ww_nosuchtoken")
                        .statusCode())
                .isEqualTo(401);
        assertThat(server.get("/simple/alpha/", "Authorization", "Digest x").statusCode())
                .isEqualTo(401);
        assertThat(server.get("/simple/no-such-project/").statusCode()).isEqualTo(404);
        assertThat(server.get("/simple/-bad-/").statusCode()).isEqualTo(400);

        assertThat(hot()).isEqualTo(before);
    }

    @Test
    void every_request_has_one_access_log_line_with_its_id_whichever_path_answered_it() throws Exception {
        server = TestServer.start(data);
        upload("alpha", "1.0");
        try (AccessLog log = AccessLog.capture()) {
            HttpResponse<byte[]> hot = server.get("/simple/alpha/", "X-Request-Id", "hot-1");
            HttpResponse<byte[]> missing = server.get("/simple/nothing-here/", "X-Request-Id", "passed-1");
            HttpResponse<byte[]> generated = server.get("/simple/alpha/");

            assertThat(hot.headers().firstValue("X-Request-Id")).contains("hot-1");
            assertThat(missing.headers().firstValue("X-Request-Id")).contains("passed-1");
            String id = generated.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).matches("[0-9a-f]{16}");
            // the routes write their line just after the answer (Javalin's request logger): wait for it
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> log.linesWithIds().stream()
                                    .filter(l -> l.contains(" /simple/"))
                                    .count()
                            >= 3);
            assertThat(log.linesWithIds())
                    .filteredOn(l -> l.contains(" /simple/"))
                    .hasSize(3)
                    .satisfiesExactlyInAnyOrder(
                            l -> assertThat(l)
                                    .startsWith("hot-1 GET /simple/alpha/ 200 ")
                                    .endsWith(" anonymous"),
                            l -> assertThat(l).startsWith("passed-1 GET /simple/nothing-here/ 404 "),
                            l -> assertThat(l).startsWith(id + " GET /simple/alpha/ 200 "));
        }
        Scrape metrics = Scrape.parse(new String(server.get("/metrics").body(), StandardCharsets.UTF_8));
        assertThat(projectPageRequests(metrics, "200")).isEqualTo(2);
        assertThat(projectPageRequests(metrics, "404")).isEqualTo(1);
    }

    @Test
    void a_token_that_may_read_takes_the_hot_path_and_the_others_are_refused_by_the_routes() throws Exception {
        server = TestServer.start(data, "auth: {anonymous-read: false}\n");
        upload("alpha", "1.0");
        String reader = server.token("reader", Scope.READ);
        String other = server.token("other", java.util.Optional.of("beta*"), Scope.READ);
        double before = hot("pages", "Authorization", TestServer.basic("__token__", reader));

        HttpResponse<byte[]> read =
                server.get("/simple/alpha/", "Authorization", TestServer.basic("__token__", reader));
        HttpResponse<byte[]> anonymous = server.get("/simple/alpha/");
        HttpResponse<byte[]> notItsProject =
                server.get("/simple/alpha/", "Authorization", TestServer.basic("__token__", other));

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(new String(read.body(), StandardCharsets.UTF_8)).contains("alpha-1.0");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(notItsProject.statusCode()).isEqualTo(404); // outside its project limit: not there for it
        assertThat(hot("pages", "Authorization", TestServer.basic("__token__", reader)) - before)
                .isEqualTo(1);
    }

    @Test
    void a_store_that_fails_while_the_hot_path_reads_a_token_is_answered_by_the_routes_as_they_answer_it()
            throws Exception {
        server = TestServer.start(data);
        upload("alpha", "1.0");
        String reader = server.token("reader", Scope.READ);
        server.running().store().close();

        HttpResponse<byte[]> hot = server.get("/simple/alpha/", "Authorization", "Bearer " + reader);
        HttpResponse<byte[]> routed =
                server.get("/simple/alpha/", "Authorization", "Bearer " + reader, "Cookie", "unrelated=1");

        // not the user's doing: the routes' server error, with its words, not whatever escapes a Jetty handler
        assertThat(routed.statusCode()).isEqualTo(500);
        assertThat(new String(routed.body(), StandardCharsets.UTF_8)).contains("cannot read a token");
        assertThat(hot.statusCode()).isEqualTo(routed.statusCode());
        assertThat(hot.body()).isEqualTo(routed.body());
    }

    @Test
    void a_page_that_failed_on_the_hot_path_is_answered_by_the_routes_without_asking_the_upstream_again()
            throws Exception {
        // an upstream that accepts connections and closes them at once: every listing asked of it fails, uncached
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!upstream.isClosed()) {
                    try (Socket s = upstream.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + upstream.getLocalPort() + "/simple/";
            server = TestServer.start(data, "upstreams:\n  - {name: mirror, url: \"" + url + "\"}\n");

            HttpResponse<byte[]> page = server.get("/simple/ghost/");

            assertThat(page.statusCode()).isEqualTo(502);
            int oneAsk = connections.get();
            assertThat(oneAsk).isPositive();
            HttpResponse<byte[]> routed = server.get("/simple/ghost/", "Cookie", "unrelated=1"); // the routes alone
            assertThat(routed.statusCode()).isEqualTo(502);
            assertThat(connections.get() - oneAsk)
                    .as("connections of one ask by the routes")
                    .isEqualTo(oneAsk);
        }
    }

    /** The headers a file answer is made of (not Date, not the per-request id). */
    private static final List<String> FILE_HEADERS = List.of(
            "content-type",
            "content-length",
            "etag",
            "last-modified",
            "cache-control",
            "accept-ranges",
            "x-content-type-options",
            "referrer-policy",
            "content-security-policy");

    @Test
    void a_whole_stored_file_is_sent_on_the_hot_path_exactly_as_the_routes_send_it() throws Exception {
        server = TestServer.start(data);
        upload("alpha", "1.0");
        String path = "/files/alpha/alpha-1.0-py3-none-any.whl";
        double before = hot("files");

        HttpResponse<byte[]> hot = server.get(path);
        HttpResponse<byte[]> routed = server.get(path, "Cookie", "unrelated=1");
        String etag = hot.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> hot304 = server.get(path, "If-None-Match", etag);
        HttpResponse<byte[]> routed304 = server.get(path, "If-None-Match", etag, "Cookie", "unrelated=1");
        HttpResponse<String> head = server.send(head(path));
        HttpResponse<String> routedHead = server.send(head(path, "Cookie", "unrelated=1"));

        assertThat(hot.statusCode()).isEqualTo(200);
        assertThat(hot.body()).isEqualTo(routed.body()).isEqualTo(Files.readAllBytes(wheel("alpha", "1.0")));
        assertThat(headers(hot, FILE_HEADERS)).isEqualTo(headers(routed, FILE_HEADERS));
        assertThat(hot.headers().firstValue("Content-Type")).contains("application/zip");
        assertThat(hot304.statusCode()).isEqualTo(304);
        assertThat(routed304.statusCode()).isEqualTo(304);
        assertThat(headers(hot304, FILE_HEADERS)).isEqualTo(headers(routed304, FILE_HEADERS));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(headers(head, FILE_HEADERS)).isEqualTo(headers(routedHead, FILE_HEADERS));
        assertThat(hot("files") - before).isEqualTo(3);
    }

    @Test
    void ranges_metadata_and_missing_files_go_on_to_the_routes() throws Exception {
        server = TestServer.start(data);
        upload("alpha", "1.0");
        String path = "/files/alpha/alpha-1.0-py3-none-any.whl";
        double before = hot("files");

        HttpResponse<byte[]> range = server.get(path, "Range", "bytes=0-9");
        HttpResponse<byte[]> metadata = server.get(path + ".metadata");
        HttpResponse<byte[]> missing = server.get("/files/alpha/alpha-9.9-py3-none-any.whl");
        HttpResponse<byte[]> notADistribution = server.get("/files/alpha/readme.txt");

        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).hasSize(10);
        assertThat(new String(metadata.body(), StandardCharsets.UTF_8)).contains("Name: alpha");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(notADistribution.statusCode()).isEqualTo(400);
        assertThat(hot("files")).isEqualTo(before);
    }

    @Test
    void a_file_still_coming_from_the_upstream_is_streamed_by_the_routes_fetched_once_then_sent_on_the_hot_path()
            throws Exception {
        Path tree = work.resolve("tree");
        Files.createDirectories(tree.resolve("simple/remote"));
        Path wheel = Wheels.simple(Files.createDirectories(tree.resolve("files")), "remote", "1.0", "2.1");
        String name = wheel.getFileName().toString();
        Files.writeString(
                tree.resolve("simple/remote/index.html"),
                "<!DOCTYPE html><html><body>\n<a href=\"../../files/" + name + "#sha256="
                        + TestServer.digest("SHA-256", Files.readAllBytes(wheel)) + "\">" + name + "</a>\n"
                        + "</body></html>\n");
        try (StaticIndexServer upstream = new StaticIndexServer(tree)) {
            server = TestServer.start(data, "upstreams:\n  - {name: mirror, url: \"" + upstream.indexUrl() + "\"}\n");
            double before = hot("files");

            HttpResponse<byte[]> first = server.get("/files/remote/" + name);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(Files.readAllBytes(wheel));
            assertThat(upstream.requests("/files/" + name)).isEqualTo(1);
            assertThat(hot("files")).isEqualTo(before); // streamed by the routes

            HttpResponse<byte[]> again = server.get("/files/remote/" + name);
            assertThat(again.body()).isEqualTo(Files.readAllBytes(wheel));
            assertThat(upstream.requests("/files/" + name)).isEqualTo(1);
            assertThat(hot("files") - before).isEqualTo(1); // cached now: a file at rest
        }
    }

    /** The wheel {@link #upload} sent. */
    private Path wheel(String name, String version) {
        return work.resolve(name + "-" + version + "-py3-none-any.whl");
    }

    /** {@code http_server_requests_seconds_count} of GETs of project pages answered with {@code status}. */
    private static double projectPageRequests(Scrape metrics, String status) {
        return metrics.value(
                "http_server_requests_seconds_count", "method", "GET", "uri", "/simple/{project}/", "status", status);
    }
}

package dev.wheelwright.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #13: webhooks out. A receiver on loopback gets signed payloads for an upload and a failed build; a receiver that
 * accepts connections and never answers delays no request; what it never took is delivered after a restart.
 */
class NotificationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "hook-secret-0123456789";
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    /** One request a receiver got. */
    record Delivery(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse("");
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /**
     * A JDK HttpServer on 127.0.0.1 that records every POST to /hook and answers 204; while {@link #silent()}, it
     * records nothing and answers nothing until {@link #answer()} (then 503 to what it held).
     */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        final List<Delivery> all = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch silence = new CountDownLatch(0);

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/hook", exchange -> {
                CountDownLatch held = silence;
                if (held.getCount() > 0) {
                    try {
                        held.await(5, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
                Delivery d = new Delivery(
                        Map.copyOf(exchange.getRequestHeaders()),
                        exchange.getRequestBody().readAllBytes());
                all.add(d);
                deliveries.add(d);
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        Delivery next(String event) throws InterruptedException {
            Instant deadline = Instant.now().plus(WAIT);
            while (Instant.now().isBefore(deadline)) {
                Delivery d = deliveries.poll(1, TimeUnit.SECONDS);
                if (d != null && d.header("X-Wheelwright-Event").equals(event)) {
                    return d;
                }
            }
            throw new AssertionError("no " + event + " notification arrived");
        }

        Receiver silent() {
            silence = new CountDownLatch(1);
            return this;
        }

        void answer() {
            silence.countDown();
        }

        @Override
        public void close() {
            answer();
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    @Test
    void a_receiver_gets_signed_payloads_for_an_upload_and_for_a_failed_build() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.start(
                        dir.resolve("data"),
                        config(receiver.url()) + "build: {index-url: \"file:///opt/pypi/simple\", workers: 1}\n",
                        Map.of("HOOK_SECRET", SECRET))) {
            Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("w")), "announced", "1.0", "2.1");
            assertThat(server.upload(server.token("ci", Scope.UPLOAD), TestServer.twineForm(wheel))
                            .statusCode())
                    .isEqualTo(200);

            Delivery upload = receiver.next("upload");

            assertSigned(upload);
            assertThat(upload.header("Content-Type")).isEqualTo("application/json");
            JsonNode u = upload.json();
            assertThat(u.path("event").asText()).isEqualTo("upload");
            assertThat(u.path("project").asText()).isEqualTo("announced");
            assertThat(u.path("filename").asText()).isEqualTo("announced-1.0-py3-none-any.whl");
            assertThat(u.path("uploader").asText()).isEqualTo("ci");
            assertThat(u.path("text").asText()).contains("announced-1.0-py3-none-any.whl");

            Path wrong = SourceProjects.hatchling(dir.resolve("p"), "broken-demo", "2.0.0");
            server.running().builds().submit(SourceProjects.request("broken-demo", "1.0.0", "v1.0.0", wrong));
            assertThat(server.running()
                            .builds()
                            .await("broken-demo", "1.0.0", WAIT)
                            .orElseThrow()
                            .status())
                    .isEqualTo(BuildRecord.Status.FAILED);

            Delivery failed = receiver.next("build-failed");

            assertSigned(failed);
            JsonNode f = failed.json();
            assertThat(f.path("project").asText()).isEqualTo("broken-demo");
            assertThat(f.path("version").asText()).isEqualTo("1.0.0");
            assertThat(f.path("reason").asText()).contains("differs from tag v1.0.0");
            assertThat(f.path("log_url").asText()).isEqualTo(server.url("/api/v1/builds/broken-demo/1.0.0/log"));
            assertThat(f.path("text").asText())
                    .contains("broken-demo")
                    .contains("failed")
                    .contains("/log");
            assertThat(server.get("/api/v1/builds/broken-demo/1.0.0/log").statusCode())
                    .isEqualTo(200);
            assertThat(receiver.all)
                    .as("tag-seen is not subscribed")
                    .noneMatch(d -> d.header("X-Wheelwright-Event").equals("tag-seen"));
        }
    }

    @Test
    void a_receiver_gets_a_signed_payload_for_a_yank_and_for_taking_it_back() throws Exception {
        try (Receiver receiver = new Receiver();
                TestServer server = TestServer.start(
                        dir.resolve("data"),
                        "notifications:\n  - {url: \"" + receiver.url()
                                + "\", events: [yank], secret-env: HOOK_SECRET}\n",
                        Map.of("HOOK_SECRET", SECRET))) {
            Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("w")), "yankable", "1.0", "2.1");
            assertThat(server.upload(server.token("ci", Scope.UPLOAD), TestServer.twineForm(wheel))
                            .statusCode())
                    .isEqualTo(200);
            String admin = server.token("release-manager", Scope.ADMIN);
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

            for (String action : new String[] {"yank", "unyank"}) {
                java.net.http.HttpResponse<String> answer = http.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.url("/api/v1/projects/yankable/1.0/" + action)))
                                .header("Authorization", "Bearer " + admin)
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"reason\": \"broken build\"}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }

            Delivery yank = receiver.next("yank");
            assertSigned(yank);
            JsonNode y = yank.json();
            assertThat(y.path("event").asText()).isEqualTo("yank");
            assertThat(y.path("project").asText()).isEqualTo("yankable");
            assertThat(y.path("version").asText()).isEqualTo("1.0");
            assertThat(y.path("yanked").asBoolean()).isTrue();
            assertThat(y.path("reason").asText()).isEqualTo("broken build");
            assertThat(y.path("by").asText()).isEqualTo("release-manager");
            assertThat(y.path("text").asText()).contains("Yanked yankable 1.0").contains("broken build");
            Delivery unyank = receiver.next("yank");
            assertSigned(unyank);
            assertThat(unyank.json().path("yanked").asBoolean()).isFalse();
            assertThat(unyank.json().path("text").asText()).startsWith("Unyanked yankable 1.0");
        }
    }

    @Test
    void a_receiver_that_never_answers_delays_no_request_and_a_restart_delivers_what_it_did_not_take()
            throws Exception {
        Path data = dir.resolve("data");
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("w")), "pending", "1.0", "2.1");
        try (Receiver receiver = new Receiver().silent()) {
            try (TestServer server = TestServer.start(data, config(receiver.url()), Map.of("HOOK_SECRET", SECRET))) {
                String token = server.token("ci", Scope.UPLOAD);
                long t0 = System.nanoTime();

                int status = server.upload(token, TestServer.twineForm(wheel)).statusCode();
                int page = server.get("/simple/pending/").statusCode();

                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(status).isEqualTo(200);
                assertThat(page).isEqualTo(200);
                assertThat(ms)
                        .as("the receiver's silence (10 s per attempt) must not reach requests")
                        .isLessThan(5_000);
                assertThat(server.running().store().outbox().due(Instant.now().plusSeconds(7200), 10))
                        .hasSize(1);
            } // stopped while the delivery hangs: it stays in the outbox

            receiver.answer();
            try (TestServer restarted = TestServer.start(data, config(receiver.url()), Map.of("HOOK_SECRET", SECRET))) {
                Delivery late = receiver.next("upload");

                assertSigned(late);
                assertThat(late.json().path("filename").asText()).isEqualTo("pending-1.0-py3-none-any.whl");
                awaitEmptyOutbox(restarted);
                assertThat(receiver.all).hasSize(1);
            }
        }
    }

    private static void awaitEmptyOutbox(TestServer server) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!server.running()
                .store()
                .outbox()
                .due(Instant.now().plusSeconds(7200), 10)
                .isEmpty()) {
            assertThat(Instant.now())
                    .as("the delivered notification left the outbox")
                    .isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static String config(String url) {
        return "notifications:\n  - {url: \"" + url + "\", events: [upload, build-failed], secret-env: HOOK_SECRET}\n";
    }

    private static void assertSigned(Delivery d) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(d.body()));
        assertThat(MessageDigest.isEqual(
                        d.header("X-Hub-Signature-256").getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8)))
                .as("X-Hub-Signature-256 %s is the HMAC of the body", d.header("X-Hub-Signature-256"))
                .isTrue();
    }
}

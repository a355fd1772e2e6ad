package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wheelwright.testing.LogCapture;
import dev.wheelwright.testing.Multipart;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #5: a token never appears in any log line (message, MDC, exception) at DEBUG, from its creation by the CLI through
 * successful and refused uploads and reads, nor in any error body, whatever the Authorization header holds.
 */
class SecretsInLogsIT {
    @TempDir
    Path dir;

    @Test
    void a_token_never_appears_in_logs_or_error_bodies() throws Exception {
        Path data = dir.resolve("data");
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(
                config,
                "server: {host: 127.0.0.1, port: 0}\nstorage: {data-dir: \"" + data.toAbsolutePath()
                        + "\"}\nauth: {anonymous-read: false}\n");
        Path dist = Files.createDirectories(dir.resolve("dist"));
        Path good = Wheels.simple(dist, "secret-demo", "1.0", "2.1");
        Path mismatched = Wheels.wheel(
                dist,
                "secret_demo-2.0-py3-none-any.whl",
                "secret_demo-2.0.dist-info",
                "secret_demo",
                "2.0",
                Wheels.metadata("2.1", "secret-demo", "2.1", ""));
        List<String> bodies = new ArrayList<>();
        List<String> secrets = new ArrayList<>();

        // Jetty's own DEBUG logging prints raw request lines and headers (SECURITY.md): it is not a supported level
        // in production (cli.LogFormat holds org.eclipse.jetty at WARN), so the capture stops Jetty at INFO.
        try (LogCapture logs = LogCapture.root(Level.DEBUG)
                        .with("org.eclipse.jetty", Level.INFO)
                        .with("dev.wheelwright", Level.DEBUG)
                        .with("io.javalin", Level.DEBUG);
                TestServer server = TestServer.start(data, "auth: {anonymous-read: false}\n")) {
            String token = createWithCli(config, "ci-upload", "upload");
            String reader = createWithCli(config, "ci-read", "read");
            String unknown = token.substring(0, token.length() - 4) + "AAAA";
            secrets.addAll(List.of(token, reader, unknown, secretPart(token), secretPart(reader), secretPart(unknown)));
            for (String t : List.of(token, reader, unknown)) {
                secrets.add(Base64.getEncoder().encodeToString(("__token__:" + t).getBytes(StandardCharsets.UTF_8)));
            }

            // given uploads: accepted, refused (bad metadata), forbidden (read token), unauthenticated (unknown token)
            bodies.add(server.upload(token, TestServer.twineForm(good)).body());
            bodies.add(server.upload(token, TestServer.twineForm(mismatched)).body());
            bodies.add(server.upload(reader, TestServer.twineForm(good)).body());
            bodies.add(server.upload(unknown, TestServer.twineForm(good)).body());
            bodies.add(server.upload(token, new Multipart().field(":action", "file_upload"))
                    .body());
            // and reads with each token, on found and missing paths, with Basic, Bearer and broken headers
            for (String t : List.of(token, reader, unknown)) {
                for (String path : List.of(
                        "/",
                        "/simple/",
                        "/simple/secret-demo/",
                        "/simple/missing/",
                        "/files/secret-demo/secret_demo-1.0-py3-none-any.whl",
                        "/files/secret-demo/secret_demo-1.0-py3-none-any.whl.metadata",
                        "/files/x/..%2f..%2fetc")) {
                    bodies.add(text(server.get(path, "Authorization", TestServer.basic("__token__", t))));
                    bodies.add(text(server.get(path, "Authorization", "Bearer " + t)));
                    bodies.add(text(server.get(path, "Authorization", "Token " + t)));
                }
                bodies.add(text(server.get("/simple/", "Authorization", "Weird " + t)));
                bodies.add(text(server.get("/simple/", "Authorization", "Basic " + t)));
                bodies.add(text(server.get("/simple/", "Authorization", TestServer.basic(t, ""))));
                bodies.add(text(server.get("/simple/", "Authorization", TestServer.basic(t, "x"))));
                bodies.add(text(server.get("/simple/?token=" + t)));
                bodies.add(server.send(HttpRequest.newBuilder(URI.create(server.url("/legacy/")))
                                .header("Authorization", "Bearer " + t)
                                .header("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString(t))
                                .build())
                        .body());
            }

            assertThat(bodies).hasSizeGreaterThan(60);
            assertThat(logs.events()).as("the capture works").anyMatch(e -> e.contains("dev.wheelwright.access"));
            assertThat(logs.events()).anyMatch(e -> e.contains("stored secret_demo-1.0-py3-none-any.whl"));
            assertThat(logs.events())
                    .as("HttpErrors' DEBUG lines are captured")
                    .anyMatch(e -> e.contains("dev.wheelwright.http.HttpErrors") && e.contains("-> 401"))
                    .anyMatch(e -> e.contains("dev.wheelwright.http.HttpErrors") && e.contains("-> 403"))
                    .anyMatch(e -> e.contains("dev.wheelwright.http.HttpErrors") && e.contains("-> 400"));
            for (String secret : secrets) {
                assertThat(logs.events()).as("log events").noneMatch(e -> e.contains(secret));
                assertThat(bodies).as("response bodies").noneMatch(b -> b.contains(secret));
            }
        }
    }

    /** Runs {@code token create} the way an operator does and returns the token from the last line of stdout. */
    private static String createWithCli(Path config, String name, String scope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Wheelwright(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of())
                .run(new String[] {"--config", config.toString(), "token", "create", "--name", name, "--scope", scope});
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        String token = lines[lines.length - 1].strip();
        assertThat(token).startsWith("ww_");
        return token;
    }

    private static String secretPart(String token) {
        return token.substring("ww_".length() + 16 + 1);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8) + r.headers().map();
    }
}

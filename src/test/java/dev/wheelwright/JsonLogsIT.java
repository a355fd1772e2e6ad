package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.testing.JarProcess;
import dev.wheelwright.testing.Multipart;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #13: with {@code logging.format: json} every line the server writes is a
 * JSON object, and every line a request causes carries that request's id, taken from a sane {@code X-Request-Id}.
 */
class JsonLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void every_line_is_json_and_every_line_a_request_causes_carries_its_id() throws Exception {
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(
                config,
                "storage: {data-dir: \"" + dir.resolve("data").toAbsolutePath() + "\"}\nlogging: {format: json}\n");
        String token = createToken(config);
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("a")), "logged", "1.0", "2.1");
        Path other = Wheels.simple(Files.createDirectories(dir.resolve("b")), "logged", "1.0", "2.2");
        String output;
        HttpResponse<String> insane;
        try (JarProcess server = JarProcess.serve(config, dir)) {
            HttpResponse<String> stored = upload(server, token, wheel, "it-upload-1");
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(stored.headers().firstValue("X-Request-Id")).hasValue("it-upload-1");
            assertThat(upload(server, token, other, "it-dup-2").statusCode()).isEqualTo(409);
            assertThat(get(server, "/simple/no-such-project/", "it-missing-3").statusCode())
                    .isEqualTo(404);
            insane = get(server, "/simple/", "bad id\" {}");
            server.stop(); // SIGTERM: the shutdown lines are written too
            output = server.output();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                JsonNode node = JSON.readTree(line); // fails on any line that is not JSON
                assertThat(node.isObject()).as(line).isTrue();
                lines.add(node);
            }
        }
        assertThat(lines).anySatisfy(l -> assertThat(text(l, "message")).startsWith("wheelwright serving"));
        assertThat(insane.headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{16}"));
        assertThat(access(lines, "POST /legacy/ 200"))
                .extracting(l -> text(l, "request_id"))
                .containsExactly("it-upload-1");
        assertThat(access(lines, "POST /legacy/ 409"))
                .extracting(l -> text(l, "request_id"))
                .containsExactly("it-dup-2");
        assertThat(access(lines, "GET /simple/no-such-project/ 404"))
                .extracting(l -> text(l, "request_id"))
                .containsExactly("it-missing-3");
        assertThat(access(lines, "GET /simple/ 200"))
                .extracting(l -> text(l, "request_id"))
                .containsExactly(insane.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(lines)
                .filteredOn(l -> text(l, "message").startsWith("upload of logged-1.0-py3-none-any.whl"))
                .extracting(l -> text(l, "request_id"))
                .containsExactly("it-upload-1");
        assertThat(lines)
                .filteredOn(l -> text(l, "message").startsWith("upload by ci refused (duplicate_file)"))
                .extracting(l -> text(l, "request_id"))
                .containsExactly("it-dup-2");
        // every line written on a thread while it served a request: the request threads log nothing else
        Set<String> requestThreads = lines.stream()
                .filter(l -> text(l, "logger_name").equals("dev.wheelwright.access"))
                .map(l -> text(l, "thread_name"))
                .collect(Collectors.toSet());
        assertThat(lines)
                .filteredOn(l -> requestThreads.contains(text(l, "thread_name")))
                .hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(
                        l -> assertThat(text(l, "request_id")).as(l.toString()).isNotEmpty());
        // the secret is the token's last 43 characters (ww_<16 hex id>_<43 base64url>); it may itself contain '_'
        assertThat(output).doesNotContain(token).doesNotContain(token.substring(token.length() - 43));
    }

    @Test
    void with_the_access_log_off_no_request_writes_a_line_and_the_other_lines_stay() throws Exception {
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(
                config,
                "storage: {data-dir: \"" + dir.resolve("data").toAbsolutePath()
                        + "\"}\nlogging: {format: json, access: false}\n");
        String token = createToken(config);
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("a")), "quiet", "1.0", "2.1");
        String output;
        try (JarProcess server = JarProcess.serve(config, dir)) {
            assertThat(upload(server, token, wheel, "quiet-upload-1").statusCode())
                    .isEqualTo(200);
            assertThat(get(server, "/simple/quiet/", "quiet-page-2").statusCode())
                    .isEqualTo(200);
            assertThat(get(server, "/simple/no-such-project/", "quiet-missing-3")
                            .statusCode())
                    .isEqualTo(404);
            server.stop();
            output = server.output();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).noneSatisfy(l -> assertThat(text(l, "logger_name")).isEqualTo("dev.wheelwright.access"));
        assertThat(lines)
                .filteredOn(l -> text(l, "message").startsWith("upload of quiet-1.0-py3-none-any.whl"))
                .extracting(l -> text(l, "request_id"))
                .containsExactly("quiet-upload-1");
        assertThat(lines).anySatisfy(l -> assertThat(text(l, "message")).startsWith("wheelwright serving"));
    }

    private static List<JsonNode> access(List<JsonNode> lines, String prefix) {
        return lines.stream()
                .filter(l -> text(l, "logger_name").equals("dev.wheelwright.access")
                        && text(l, "message").startsWith(prefix))
                .toList();
    }

    private static String text(JsonNode line, String field) {
        return line.path(field).asText("");
    }

    private HttpResponse<String> upload(JarProcess server, String token, Path wheel, String requestId)
            throws Exception {
        Multipart form = TestServer.twineForm(wheel);
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url("/legacy/")))
                        .header("Content-Type", form.contentType())
                        .header("Authorization", TestServer.basic("__token__", token))
                        .header("X-Request-Id", requestId)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(JarProcess server, String path, String requestId) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url(path)))
                        .header("X-Request-Id", requestId)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String createToken(Path config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Wheelwright(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of())
                .run(new String[] {"--config", config.toString(), "token", "create", "--name", "ci", "--scope", "upload"
                });
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}

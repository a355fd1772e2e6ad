package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PEP 503/691/700/658/592 pages and file serving over real HTTP. */
class SimpleApiIT {
    private static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final String WHEEL = "demo_pkg-1.0.0-py3-none-any.whl";

    @TempDir
    static Path data;

    @TempDir
    static Path work;

    private static TestServer server;
    private static byte[] wheelBytes;
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
        String token = server.token("ci", Scope.UPLOAD);
        Path wheel = Wheels.wheel(
                work,
                WHEEL,
                "demo_pkg-1.0.0.dist-info",
                "demo_pkg",
                "1.0.0",
                Wheels.metadata("2.1", "Demo_Pkg", "1.0.0", "Summary: a demo\nRequires-Python: >=3.8, <4\n"));
        wheelBytes = Files.readAllBytes(wheel);
        assertThat(server.upload(token, TestServer.twineForm(wheel)).statusCode())
                .isEqualTo(200);
        Path second = Wheels.wheel(
                work,
                "demo_pkg-0.9-py3-none-any.whl",
                "demo_pkg-0.9.dist-info",
                "demo_pkg",
                "0.9",
                Wheels.metadata("2.1", "Demo_Pkg", "0.9", ""));
        assertThat(server.upload(token, TestServer.twineForm(second)).statusCode())
                .isEqualTo(200);
        server.running()
                .store()
                .catalog()
                .setYanked(
                        ProjectName.parse("demo-pkg"),
                        "demo_pkg-0.9-py3-none-any.whl",
                        Optional.of("broken <b>build</b>"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "Accept {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01 | application/vnd.pypi.simple.v1+json
            application/vnd.pypi.simple.v1+json, */*;q=0.1                                                      | application/vnd.pypi.simple.v1+json
            text/html;q=0.01, application/vnd.pypi.simple.v1+html;q=0.2, application/vnd.pypi.simple.v1+json   | application/vnd.pypi.simple.v1+json
            application/vnd.pypi.simple.v1+html                                                                 | application/vnd.pypi.simple.v1+html
            application/vnd.pypi.simple.latest+json                                                             | application/vnd.pypi.simple.v1+json
            text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8                                     | text/html
            */*                                                                                                 | text/html
            text/html, application/vnd.pypi.simple.v1+html, application/vnd.pypi.simple.v1+json                 | text/html
            """)
    void negotiates_the_media_type_by_q_values(String accept, String expected) throws Exception {
        HttpResponse<byte[]> response = server.get("/simple/demo-pkg/", "Accept", accept);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith(expected);
        assertThat(response.headers().firstValue("Vary")).hasValue("Accept, Accept-Encoding");
    }

    @Test
    void serves_html_without_an_accept_header() throws Exception {
        HttpResponse<byte[]> response = send("/simple/demo-pkg/", Optional.empty());

        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    }

    @Test
    void answers_406_when_nothing_acceptable_is_asked_for() throws Exception {
        HttpResponse<byte[]> response = server.get("/simple/demo-pkg/", "Accept", "text/plain");

        assertThat(response.statusCode()).isEqualTo(406);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains(JSON);
    }

    @Test
    void the_format_query_parameter_overrides_accept() throws Exception {
        HttpResponse<byte[]> response = server.get("/simple/demo-pkg/?format=" + JSON, "Accept", "text/html");

        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).isEqualTo(JSON);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /simple/Demo_Pkg/   | /simple/demo-pkg/
            /simple/demo.pkg/   | /simple/demo-pkg/
            /simple/demo-pkg    | /simple/demo-pkg/
            /simple             | /simple/
            """)
    void redirects_permanently_to_the_normalized_url(String path, String location) throws Exception {
        HttpResponse<byte[]> response = server.get(path);

        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location")).hasValue(location);
    }

    @Test
    void answers_404_for_an_unknown_project_and_400_for_an_invalid_name() throws Exception {
        assertThat(server.get("/simple/no-such-project/").statusCode()).isEqualTo(404);
        assertThat(server.get("/simple/-invalid-/").statusCode()).isEqualTo(400);
    }

    @Test
    void the_json_page_has_every_pep_691_700_and_714_field() throws Exception {
        JsonNode page =
                json.readTree(server.get("/simple/demo-pkg/", "Accept", JSON).body());

        assertThat(page.get("meta").get("api-version").asText()).isEqualTo("1.4");
        assertThat(page.get("name").asText()).isEqualTo("demo-pkg");
        assertThat(page.get("versions")).extracting(JsonNode::asText).containsExactly("0.9", "1.0.0");
        JsonNode wheel = file(page, WHEEL);
        assertThat(wheel.get("url").asText()).isEqualTo("/files/demo-pkg/" + WHEEL);
        assertThat(wheel.get("hashes").get("sha256").asText()).isEqualTo(TestServer.digest("SHA-256", wheelBytes));
        assertThat(wheel.get("size").asLong()).isEqualTo(wheelBytes.length);
        assertThat(wheel.get("requires-python").asText()).isEqualTo(">=3.8, <4");
        assertThat(wheel.get("upload-time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
        assertThat(wheel.get("yanked").asBoolean()).isFalse();
        assertThat(wheel.get("core-metadata").get("sha256").asText()).hasSize(64);
        assertThat(wheel.has("dist-info-metadata")).isFalse();
        assertThat(file(page, "demo_pkg-0.9-py3-none-any.whl").get("yanked").asText())
                .isEqualTo("broken <b>build</b>");
    }

    @Test
    void the_html_page_escapes_requires_python_and_the_yank_reason() throws Exception {
        String page = new String(
                server.get("/simple/demo-pkg/", "Accept", "text/html").body(), StandardCharsets.UTF_8);

        assertThat(page).contains("<meta name=\"pypi:repository-version\" content=\"1.4\">");
        assertThat(page).contains("data-requires-python=\"&gt;=3.8, &lt;4\"");
        assertThat(page).contains("data-yanked=\"broken &lt;b&gt;build&lt;/b&gt;\"");
        assertThat(page).contains(">" + WHEEL + "</a>");
        assertThat(page).doesNotContain("<b>build");
    }

    @Test
    void the_root_lists_projects_in_html_and_json() throws Exception {
        String html = new String(server.get("/simple/").body(), StandardCharsets.UTF_8);
        JsonNode root = json.readTree(server.get("/simple/", "Accept", JSON).body());

        assertThat(html).contains("<a href=\"/simple/demo-pkg/\">Demo_Pkg</a>");
        assertThat(root.get("projects").get(0).get("name").asText()).isEqualTo("Demo_Pkg");
    }

    @Test
    void answers_304_to_a_matching_if_none_match() throws Exception {
        HttpResponse<byte[]> first = server.get("/simple/demo-pkg/", "Accept", JSON);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> second = server.get("/simple/demo-pkg/", "Accept", JSON, "If-None-Match", etag);

        assertThat(second.statusCode()).isEqualTo(304);
        assertThat(server.get("/simple/demo-pkg/", "Accept", "text/html", "If-None-Match", etag)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void serves_files_immutable_with_etag_and_length() throws Exception {
        HttpResponse<byte[]> response = server.get("/files/demo-pkg/" + WHEEL);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(wheelBytes);
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("immutable");
        assertThat(response.headers().firstValue("ETag"))
                .hasValue("\"" + TestServer.digest("SHA-256", wheelBytes) + "\"");
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(wheelBytes.length));
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        String etag = response.headers().firstValue("ETag").orElseThrow();
        assertThat(server.get("/files/demo-pkg/" + WHEEL, "If-None-Match", etag).statusCode())
                .isEqualTo(304);
    }

    @Test
    void answers_head_with_length_and_accept_ranges() throws Exception {
        HttpResponse<byte[]> response = sendHead("/files/demo-pkg/" + WHEEL);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(wheelBytes.length));
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bytes=0-9   | 0  | 9
            bytes=10-   | 10 | -1
            bytes=-22   | -22 | -1
            """)
    void serves_a_byte_range_with_206(String range, int from, int to) throws Exception {
        int size = wheelBytes.length;
        int start = from < 0 ? size + from : from;
        int end = to < 0 ? size - 1 : to;

        HttpResponse<byte[]> response = server.get("/files/demo-pkg/" + WHEEL, "Range", range);

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes " + start + "-" + end + "/" + size);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(wheelBytes, start, end + 1));
    }

    @Test
    void answers_416_to_a_range_past_the_end() throws Exception {
        HttpResponse<byte[]> response = server.get("/files/demo-pkg/" + WHEEL, "Range", "bytes=999999-");

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */" + wheelBytes.length);
    }

    @Test
    void serves_the_wheel_metadata_byte_for_byte() throws Exception {
        HttpResponse<byte[]> response = server.get("/files/demo-pkg/" + WHEEL + ".metadata");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .startsWith("Metadata-Version: 2.1\nName: Demo_Pkg\n");
    }

    @Test
    void answers_404_for_unknown_files() throws Exception {
        assertThat(server.get("/files/demo-pkg/demo_pkg-9.9-py3-none-any.whl").statusCode())
                .isEqualTo(404);
        assertThat(server.get("/files/other/demo_pkg-1.0.0-py3-none-any.whl").statusCode())
                .isEqualTo(404);
    }

    private static JsonNode file(JsonNode page, String filename) {
        for (JsonNode f : page.get("files")) {
            if (f.get("filename").asText().equals(filename)) {
                return f;
            }
        }
        throw new AssertionError("no file " + filename + " in " + page);
    }

    private static HttpResponse<byte[]> send(String path, Optional<String> accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)));
        accept.ifPresent(a -> b.header("Accept", a));
        return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> sendHead(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build();
        return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}

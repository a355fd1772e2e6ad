package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.testing.AccessLog;
import dev.wheelwright.testing.HtmlOnlyProxy;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with real clients: Debian's twine uploads a wheel; twine-shaped requests upload real wheels with
 * Metadata-Version 2.4/2.5 from the machine's mirror (requests and its dependencies); then pip 23 and pip 26 install
 * requests from this index alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealClientsIT {
    private static final List<String> REQUESTS_AND_DEPENDENCIES = PythonTools.REQUESTS_AND_DEPENDENCIES;

    @TempDir
    static Path data;

    @TempDir
    static Path work;

    private static TestServer server;
    private static String token;
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = TestServer.start(data);
        token = server.token("ci", Scope.UPLOAD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Order(1)
    void twine_uploads_a_wheel_and_skips_it_when_it_is_there() throws Exception {
        Path wheel = Wheels.simple(work, "twine-demo", "0.1.0", "2.1");

        PythonTools.Run first = PythonTools.twineUpload(server.url("/legacy/"), token, List.of(wheel));
        PythonTools.Run again = PythonTools.twineUpload(server.url("/legacy/"), token, List.of(wheel));

        first.requireSuccess("twine upload");
        again.requireSuccess("twine upload of the same file");
        assertThat(server.running().store().catalog().files(ProjectName.parse("twine-demo")))
                .extracting(f -> f.filename())
                .containsExactly("twine_demo-0.1.0-py3-none-any.whl");
    }

    @Test
    @Order(2)
    void twine_shaped_uploads_of_metadata_2_4_and_2_5_wheels_succeed() throws Exception {
        for (String filename : REQUESTS_AND_DEPENDENCIES) {
            Path wheel = PythonTools.WHEEL_MIRROR.resolve(filename);

            HttpResponse<String> response = server.upload(token, TestServer.twineForm(wheel));

            assertThat(response.statusCode())
                    .as(filename + ": " + response.body())
                    .isEqualTo(200);
        }
        assertThat(metadataVersionOf("requests-2.34.2-py3-none-any.whl")).isEqualTo("2.4");
        assertThat(metadataVersionOf("urllib3-2.8.0-py3-none-any.whl")).isEqualTo("2.5");
    }

    @Test
    @Order(3)
    void every_served_file_and_metadata_file_matches_the_hashes_in_the_index() throws Exception {
        for (String project : List.of("requests", "urllib3", "idna", "certifi", "charset-normalizer")) {
            JsonNode page = json.readTree(
                    server.get("/simple/" + project + "/", "Accept", "application/vnd.pypi.simple.v1+json")
                            .body());
            for (JsonNode file : page.get("files")) {
                byte[] served = server.get(file.get("url").asText()).body();
                assertThat(TestServer.digest("SHA-256", served))
                        .isEqualTo(file.get("hashes").get("sha256").asText());
                assertThat(served.length).isEqualTo(file.get("size").asInt());
                byte[] metadata =
                        server.get(file.get("url").asText() + ".metadata").body();
                assertThat(TestServer.digest("SHA-256", metadata))
                        .isEqualTo(file.get("core-metadata").get("sha256").asText());
                assertThat(metadata)
                        .isEqualTo(wheelMetadata(PythonTools.WHEEL_MIRROR.resolve(
                                file.get("filename").asText())));
            }
            String html = new String(
                    server.get("/simple/" + project + "/", "Accept", "text/html")
                            .body(),
                    StandardCharsets.UTF_8);
            assertThat(html)
                    .contains("data-core-metadata=\"sha256="
                            + page.get("files")
                                    .get(0)
                                    .get("core-metadata")
                                    .get("sha256")
                                    .asText());
        }
    }

    @Test
    @Order(4)
    void pip_23_installs_requests_with_its_dependencies_from_this_index_alone() throws Exception {
        Path target = work.resolve("pip23");

        PythonTools.Run run =
                PythonTools.pipInstall(PythonTools.pip23(), server.indexUrl(), target, List.of("requests"), Map.of());

        run.requireSuccess("pip 23 install requests");
        assertInstalled(target);
    }

    @Test
    @Order(5)
    void pip_23_installs_requests_from_the_html_pages_alone() throws Exception {
        Path target = work.resolve("pip23-html");

        try (HtmlOnlyProxy proxy = new HtmlOnlyProxy()) {
            PythonTools.Run run = PythonTools.pipInstall(
                    PythonTools.pip23(),
                    server.indexUrl(),
                    target,
                    List.of("--proxy", proxy.url(), "requests"),
                    Map.of());

            run.requireSuccess("pip 23 install requests through HTML pages");
            assertThat(proxy.simplePageTypes()).isNotEmpty().allMatch(t -> t.startsWith("text/html"));
        }
        assertInstalled(target);
    }

    @Test
    @Order(6)
    void pip_26_installs_requests_using_json_pages_and_pep_658_metadata() throws Exception {
        Path target = work.resolve("pip26");
        List<String> pip26 = PythonTools.pip26();
        assertThat(PythonTools.run(List.of(pip26.get(0), "-m", "pip", "--version"), Map.of(), 60)
                        .output())
                .contains("pip 26");

        try (AccessLog log = AccessLog.capture()) {
            PythonTools.Run run =
                    PythonTools.pipInstall(pip26, server.indexUrl(), target, List.of("requests"), Map.of());

            run.requireSuccess("pip 26 install requests");
            assertThat(log.lines())
                    .anyMatch(l -> l.contains("/files/requests/requests-2.34.2-py3-none-any.whl.metadata 200"));
            assertThat(log.lines()).anyMatch(l -> l.contains("/simple/requests/ 200"));
        }
        assertInstalled(target);
    }

    private static void assertInstalled(Path target) throws IOException {
        try (Stream<Path> entries = Files.list(target)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList())
                    .contains("requests", "urllib3", "idna", "certifi", "charset_normalizer");
        }
    }

    private static String metadataVersionOf(String filename) throws IOException {
        String text = new String(wheelMetadata(PythonTools.WHEEL_MIRROR.resolve(filename)), StandardCharsets.UTF_8);
        return text.lines()
                .filter(l -> l.startsWith("Metadata-Version: "))
                .findFirst()
                .orElseThrow()
                .substring(18);
    }

    private static byte[] wheelMetadata(Path wheel) throws IOException {
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            var entry = zip.stream()
                    .filter(e -> e.getName().matches("[^/]+\\.dist-info/METADATA"))
                    .findFirst()
                    .orElseThrow();
            return zip.getInputStream(entry).readAllBytes();
        }
    }
}

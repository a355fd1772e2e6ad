package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client matrix of the README beyond plain installs: {@code pip index versions}, {@code pip download
 * --require-hashes} with the hashes of our JSON pages (and a wrong hash refused), with pip 23 and pip 26; twine 4's
 * {@code --skip-existing} against a second file of the same name.
 */
class ClientMatrixIT {
    private static final List<String> REQUESTS_AND_DEPENDENCIES = PythonTools.REQUESTS_AND_DEPENDENCIES;

    @TempDir
    static Path data;

    @TempDir
    static Path work;

    private static TestServer server;
    private static String token;
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(data);
        token = server.token("ci", Scope.UPLOAD);
        for (String filename : REQUESTS_AND_DEPENDENCIES) {
            assertThat(server.upload(token, TestServer.twineForm(PythonTools.WHEEL_MIRROR.resolve(filename)))
                            .statusCode())
                    .as(filename)
                    .isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> pip(String which) throws Exception {
        return which.equals("pip23") ? PythonTools.pip23() : PythonTools.pip26();
    }

    private static PythonTools.Run pip(String which, String... args) throws Exception {
        List<String> argv = new ArrayList<>(pip(which));
        argv.addAll(List.of(args));
        return PythonTools.run(argv, Map.of(), 300);
    }

    /** {@code name==version --hash=sha256:…} for each project, the hash taken from our JSON page. */
    private static Path requirements(String name, boolean breakRequests) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String project : List.of("requests", "urllib3", "idna", "certifi", "charset-normalizer")) {
            JsonNode page = json.readTree(
                    server.get("/simple/" + project + "/", "Accept", "application/vnd.pypi.simple.v1+json")
                            .body());
            JsonNode file = page.get("files").get(0);
            String sha = file.get("hashes").get("sha256").asText();
            if (breakRequests && project.equals("requests")) {
                sha = (sha.charAt(0) == '0' ? "1" : "0") + sha.substring(1);
            }
            lines.append(project)
                    .append("==")
                    .append(page.get("versions").get(0).asText())
                    .append(" --hash=sha256:")
                    .append(sha)
                    .append('\n');
        }
        return Files.writeString(work.resolve(name), lines.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pip23", "pip26"})
    void pip_index_versions_lists_the_versions_of_a_project(String which) throws Exception {
        PythonTools.Run run = pip(
                which,
                "index",
                "versions",
                "requests",
                "--index-url",
                server.indexUrl(),
                "--disable-pip-version-check");

        run.requireSuccess(which + " index versions");
        assertThat(run.output()).contains("requests (2.34.2)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pip23", "pip26"})
    void pip_download_with_required_hashes_from_our_json_pages_succeeds_and_a_wrong_hash_is_refused(String which)
            throws Exception {
        Path good = requirements(which + "-good.txt", false);
        Path bad = requirements(which + "-bad.txt", true);

        PythonTools.Run ok = pip(
                which,
                "download",
                "--require-hashes",
                "-r",
                good.toString(),
                "--index-url",
                server.indexUrl(),
                "--no-cache-dir",
                "--disable-pip-version-check",
                "-d",
                work.resolve(which + "-good").toString());
        PythonTools.Run refused = pip(
                which,
                "download",
                "--require-hashes",
                "-r",
                bad.toString(),
                "--index-url",
                server.indexUrl(),
                "--no-cache-dir",
                "--disable-pip-version-check",
                "-d",
                work.resolve(which + "-bad").toString());

        ok.requireSuccess(which + " download --require-hashes");
        try (var files = Files.list(work.resolve(which + "-good"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(REQUESTS_AND_DEPENDENCIES);
        }
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("DO NOT MATCH THE HASHES");
    }

    @Test
    void twine_skip_existing_skips_a_second_file_of_the_same_name_and_without_it_twine_fails() throws Exception {
        Path first = Wheels.simple(Files.createDirectories(work.resolve("first")), "skip-demo", "1.0", "2.1");
        Path other = Wheels.wheel(
                Files.createDirectories(work.resolve("other")),
                first.getFileName().toString(),
                "skip_demo-1.0.dist-info",
                "skip_demo",
                "1.0",
                Wheels.metadata("2.1", "skip-demo", "1.0", "Summary: other bytes, same name\n"));
        PythonTools.twineUpload(server.url("/legacy/"), token, List.of(first)).requireSuccess("first upload");

        PythonTools.Run skipped =
                PythonTools.twineUpload(server.url("/legacy/"), token, List.of("--skip-existing"), List.of(other));
        PythonTools.Run failed = PythonTools.twineUpload(server.url("/legacy/"), token, List.of(other));

        skipped.requireSuccess("twine upload --skip-existing of another file of the same name");
        assertThat(skipped.output()).contains("Skipping");
        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.output()).contains("409");
        assertThat(TestServer.digest(
                        "SHA-256",
                        server.get("/files/skip-demo/" + first.getFileName()).body()))
                .isEqualTo(TestServer.digest("SHA-256", Files.readAllBytes(first)));
    }
}

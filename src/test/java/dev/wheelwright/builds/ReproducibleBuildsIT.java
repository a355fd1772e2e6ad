package dev.wheelwright.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.builds.BuildRecord.Status;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.GitFixture;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9, reproducible builds: real git repositories (JGit, {@code file://} remotes) of a hatchling and a setuptools
 * project, built by the real server's real builder (bubblewrap when present) from the machine's local wheel mirror,
 * then rebuilt by {@code POST /api/v1/builds/{project}/{version}/verify} in another directory and compared byte for
 * byte with what is stored.
 */
class ReproducibleBuildsIT {
    private static final Duration BUILD_WAIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestServer server;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        Path hatch = SourceProjects.hatchling(dir.resolve("repos"), "repro-hatch", "1.0.0");
        try (GitFixture repo = GitFixture.over(hatch)) {
            repo.tag("v1.0.0");
            // a tag whose pyproject says another version: its build fails
            repo.commit("broken", Map.of("CHANGES.txt", "broken\n"));
            repo.tag("v0.9.0");
        }
        Path setuptools = SourceProjects.setuptools(dir.resolve("repos"), "repro-st", "1.1.0");
        try (GitFixture repo = GitFixture.over(setuptools)) {
            repo.tag("v1.1.0");
        }
        server = TestServer.start(
                dir.resolve("data"),
                "build: {index-url: \"file:///opt/pypi/simple\", workers: 2}\n"
                        + "git:\n  poll-interval: 0s\n  projects:\n"
                        + "    - { name: repro-hatch, url: \"" + hatch.toUri() + "\" }\n"
                        + "    - { name: repro-st, url: \"" + setuptools.toUri() + "\" }\n");
        admin = server.token("repro-admin", Scope.ADMIN);
        assertBuild("repro-hatch", "1.0.0", Status.SUCCEEDED);
        assertBuild("repro-st", "1.1.0", Status.SUCCEEDED);
        assertBuild("repro-hatch", "0.9.0", Status.FAILED);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void a_hatchling_and_a_setuptools_release_rebuild_byte_identically_in_another_directory() throws Exception {
        for (String release : List.of("repro-hatch/1.0.0", "repro-st/1.1.0")) {
            String project = release.substring(0, release.indexOf('/'));
            BuildRecord before = builds().await(project, release.substring(release.indexOf('/') + 1), Duration.ZERO)
                    .orElseThrow();
            List<StoredFile> filesBefore = files(project);

            HttpResponse<String> response = verify(release, admin);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode report = JSON.readTree(response.body());
            assertThat(report.get("reproducible").asBoolean())
                    .as(response.body())
                    .isTrue();
            assertThat(report.get("project").asText()).isEqualTo(project);
            assertThat(report.get("commit").asText()).isEqualTo(before.commit());
            assertThat(report.get("source_date_epoch").asLong()).isPositive();
            assertThat(report.get("error").isNull()).isTrue();
            assertThat(report.get("files")).hasSize(2);
            for (JsonNode f : report.get("files")) {
                StoredFile stored = file(project, f.get("filename").asText());
                assertThat(f.get("identical").asBoolean()).isTrue();
                assertThat(f.get("stored_sha256").asText()).isEqualTo(stored.sha256());
                assertThat(f.get("recorded_sha256").asText()).isEqualTo(stored.sha256());
                assertThat(f.get("rebuilt_sha256").asText()).isEqualTo(stored.sha256());
            }
            // nothing replaced or recorded, and the rebuild's directory is gone
            assertThat(files(project)).isEqualTo(filesBefore);
            assertThat(builds().builds(project)).contains(before);
            assertThat(verifyDirectories()).isEmpty();
        }
    }

    @Test
    void the_setuptools_sdist_holds_no_time_later_than_the_commit() throws Exception {
        // setuptools writes PKG-INFO, setup.cfg and *.egg-info with the build's time, and so the gzip header: clamped
        long epoch = JSON.readTree(verify("repro-st/1.1.0", admin).body())
                .get("source_date_epoch")
                .asLong();
        byte[] sdist = readBlob(file("repro-st", "repro_st-1.1.0.tar.gz"));

        assertThat(ByteBuffer.wrap(sdist, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL)
                .as("gzip header mtime")
                .isEqualTo(epoch);
        byte[] tar;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(sdist))) {
            tar = in.readAllBytes();
        }
        List<String> entries = new ArrayList<>();
        for (int at = 0; at + 512 <= tar.length && tar[at] != 0; ) {
            String name = field(tar, at, 100);
            long size = Long.parseLong(field(tar, at + 124, 12).strip(), 8);
            long mtime = Long.parseLong(field(tar, at + 136, 12).strip(), 8);
            assertThat(mtime).as(name).isLessThanOrEqualTo(epoch);
            entries.add(name);
            at += 512 + (size + 511) / 512 * 512;
        }
        assertThat(entries).contains("repro_st-1.1.0/PKG-INFO", "repro_st-1.1.0/repro_st.egg-info/PKG-INFO");
    }

    @Test
    void a_tampered_stored_file_is_named_with_both_digests_and_stays_as_it_is() throws Exception {
        StoredFile sdist = file("repro-st", "repro_st-1.1.0.tar.gz");
        StoredFile wheel = file("repro-st", "repro_st-1.1.0-py3-none-any.whl");
        Path tampered = dir.resolve("tampered.tar.gz");
        byte[] bytes = readBlob(sdist);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(tampered, bytes);
        String tamperedSha = Sha256.hex(tampered);
        server.running().blobs().put(sdist.blob(), tampered, tamperedSha); // behind the server's back
        try {
            HttpResponse<String> response = verify("repro-st/1.1.0", admin);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode report = JSON.readTree(response.body());
            assertThat(report.get("reproducible").asBoolean()).isFalse();
            JsonNode differs = find(report, sdist.filename());
            assertThat(differs.get("identical").asBoolean()).isFalse();
            assertThat(differs.get("stored_sha256").asText()).isEqualTo(tamperedSha);
            assertThat(differs.get("recorded_sha256").asText()).isEqualTo(sdist.sha256());
            assertThat(differs.get("rebuilt_sha256").asText()).isEqualTo(sdist.sha256());
            JsonNode same = find(report, wheel.filename());
            assertThat(same.get("identical").asBoolean()).isTrue();
            assertThat(same.get("rebuilt_sha256").asText()).isEqualTo(wheel.sha256());
            assertThat(Sha256.hex(readBlob(sdist))).isEqualTo(tamperedSha); // reported, not repaired
        } finally {
            Path original = dir.resolve("original.tar.gz");
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(original, bytes);
            server.running().blobs().put(sdist.blob(), original, sdist.sha256());
        }
    }

    @Test
    void verify_needs_an_admin_and_refuses_what_it_cannot_rebuild() throws Exception {
        String reader = server.token("repro-reader", Scope.READ);
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("hosted")), "repro-hosted", "2.0.0", "2.1");
        server.upload(server.token("repro-uploader", Scope.UPLOAD), TestServer.twineForm(wheel));

        assertThat(verify("repro-hatch/1.0.0", null).statusCode()).isEqualTo(401);
        assertThat(verify("repro-hatch/1.0.0", reader).statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = verify("repro-hatch/7.0.0", admin);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(detail(unknown)).isEqualTo("No build of repro-hatch 7.0.0 is known.");
        HttpResponse<String> failed = verify("repro-hatch/0.9.0", admin);
        assertThat(failed.statusCode()).isEqualTo(409);
        assertThat(detail(failed))
                .isEqualTo("The build of repro-hatch 0.9.0 failed, so there are no built files to compare; retry it"
                        + " first.");
        HttpResponse<String> hosted = verify("repro-hosted/2.0.0", admin);
        assertThat(hosted.statusCode()).isEqualTo(409);
        assertThat(detail(hosted))
                .isEqualTo("repro-hosted 2.0.0 was uploaded, not built from a git tag, so there is nothing to rebuild"
                        + " it from.");
        assertThat(verify("-bad-/1.0.0", admin).statusCode()).isEqualTo(400);
    }

    // --- helpers

    private static BuildService builds() {
        return server.running().builds();
    }

    private static void assertBuild(String project, String version, Status expected) throws Exception {
        long deadline = System.nanoTime() + BUILD_WAIT.toNanos();
        Optional<BuildRecord> seen = builds().await(project, version, BUILD_WAIT);
        while (seen.isEmpty() && System.nanoTime() < deadline) { // the git source submits it once it has fetched
            seen = builds().await(project, version, Duration.ofMillis(100));
            if (seen.isEmpty()) {
                server.get("/simple/" + project + "/"); // a page request checks the repository's tags
            }
        }
        BuildRecord record = seen.orElseThrow(() -> new AssertionError("no build of " + project + " " + version));
        while (!record.status().isFinished() && System.nanoTime() < deadline) {
            record = builds().await(project, version, BUILD_WAIT).orElseThrow();
        }
        if (record.status() != expected) {
            throw new AssertionError("build of " + project + " " + version + " is " + record.status() + ": "
                    + record.reason().orElse("") + "\n" + Files.readString(builds().log(project, version)));
        }
    }

    private static HttpResponse<String> verify(String release, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("/api/v1/builds/" + release + "/verify")))
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", TestServer.basic("__token__", token));
        }
        return server.send(b.build());
    }

    private static String detail(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("detail").asText();
    }

    private static List<StoredFile> files(String project) {
        return server.running().store().catalog().files(ProjectName.parse(project));
    }

    private static StoredFile file(String project, String filename) {
        return server.running()
                .store()
                .catalog()
                .file(ProjectName.parse(project), filename)
                .orElseThrow(() -> new AssertionError("no " + filename + " in " + files(project)));
    }

    private static byte[] readBlob(StoredFile file) throws Exception {
        try (var in = server.running().blobs().open(file.blob()).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    /** A NUL-terminated field of a tar header. */
    private static String field(byte[] tar, int offset, int length) {
        int end = offset;
        while (end < offset + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static JsonNode find(JsonNode report, String filename) {
        for (JsonNode f : report.get("files")) {
            if (f.get("filename").asText().equals(filename)) {
                return f;
            }
        }
        throw new AssertionError("no " + filename + " in " + report);
    }

    private static List<Path> verifyDirectories() throws Exception {
        Path work = server.running()
                .dataDir()
                .resolve("tmp")
                .resolve(Long.toString(ProcessHandle.current().pid()))
                .resolve("builds"); // where builds and verifications make their directories
        assertThat(work).isDirectory();
        try (Stream<Path> dirs = Files.list(work)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("verify-"))
                    .toList();
        }
    }
}

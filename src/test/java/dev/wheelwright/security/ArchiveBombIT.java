package dev.wheelwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.testing.JarProcess;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #5: archives built to exhaust the server — a wheel whose METADATA inflates to 1 GiB, an sdist of 200,000
 * entries, an sdist nested 100,000 directories deep — are refused with 400 in bounded time by the packaged jar
 * running with a 256 MiB heap, which stays up and stores nothing.
 */
class ArchiveBombIT {
    private static final long ONE_GIB = 1L << 30;

    @TempDir
    static Path dir;

    private static JarProcess server;
    private static String token;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(config, "storage: {data-dir: \"" + dir.resolve("data").toAbsolutePath() + "\"}\n");
        PythonTools.Run created = JarProcess.cli(config, dir, "token", "create", "--name", "ci", "--scope", "upload")
                .requireSuccess("token create");
        String[] lines = created.output().strip().split("\n");
        token = lines[lines.length - 1].strip();
        server = JarProcess.serve(config, dir, List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void a_wheel_whose_metadata_inflates_to_a_gibibyte_is_refused_quickly_with_a_bounded_heap() throws Exception {
        Path bomb =
                HostileArchives.zipBombWheel(Files.createDirectories(dir.resolve("bomb")), "bomb-pkg", "1.0", ONE_GIB);
        assertThat(Files.size(bomb)).as("compressed size").isLessThan(2L << 20);

        Timed r = upload(bomb);

        assertThat(r.response().statusCode()).as(r.response().body()).isEqualTo(400);
        assertThat(r.response().body()).contains("METADATA larger than 16 MiB");
        assertThat(r.millis()).as("refused in under 5 s").isLessThan(5_000);
        assertStillUpAndEmpty();
    }

    @Test
    void an_sdist_with_200_000_entries_is_refused_in_bounded_time() throws Exception {
        Path sdist = HostileArchives.manyEntriesSdist(
                Files.createDirectories(dir.resolve("many")), "many-pkg", "1.0", 200_000);

        Timed r = upload(sdist);

        assertThat(r.response().statusCode()).as(r.response().body()).isEqualTo(400);
        assertThat(r.response().body()).contains("more than 100000 entries");
        assertThat(r.millis()).isLessThan(10_000);
        assertStillUpAndEmpty();
    }

    @Test
    void an_sdist_nested_100_000_directories_deep_is_refused_in_bounded_time() throws Exception {
        Path sdist = HostileArchives.deeplyNestedSdist(
                Files.createDirectories(dir.resolve("deep")), "deep-pkg", "1.0", 100_000);

        Timed r = upload(sdist);

        assertThat(r.response().statusCode()).as(r.response().body()).isEqualTo(400);
        assertThat(r.millis()).isLessThan(5_000);
        assertStillUpAndEmpty();
    }

    private record Timed(HttpResponse<String> response, long millis) {}

    private static Timed upload(Path file) throws Exception {
        boolean wheel = file.getFileName().toString().endsWith(".whl");
        var form = new dev.wheelwright.testing.Multipart()
                .field(":action", "file_upload")
                .field("protocol_version", "1")
                .field("filetype", wheel ? "bdist_wheel" : "sdist")
                .file("content", file);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url("/legacy/")))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", form.contentType())
                .header("Authorization", TestServer.basic("__token__", token))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Timed(response, (System.nanoTime() - start) / 1_000_000);
    }

    private static void assertStillUpAndEmpty() throws Exception {
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(server.url("/healthz"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(server.output()).isEqualTo(200);
        HttpResponse<String> index = http.send(
                HttpRequest.newBuilder(URI.create(server.url("/simple/"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.body())
                .doesNotContain("bomb-pkg")
                .doesNotContain("many-pkg")
                .doesNotContain("deep-pkg");
        assertThat(server.output()).doesNotContain("OutOfMemoryError").doesNotContain("ERROR");
    }
}

package dev.wheelwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import dev.wheelwright.testing.JarProcess;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server as a process: the CLI works beside it on the same data, data survives a restart, and a
 * {@code kill -9} in the middle of an upload leaves no partial file and no record.
 */
class DurabilityIT {
    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void cli_and_server_share_the_data_and_it_survives_kill_minus_9_during_an_upload() throws Exception {
        Path config = work.resolve("wheelwright.yaml");
        Files.writeString(config, "storage:\n  data-dir: " + work.resolve("data") + "\n");
        Path wheel = Wheels.simple(Files.createDirectories(work.resolve("dist")), "durable", "1.0", "2.1");
        String sha = TestServer.digest("SHA-256", Files.readAllBytes(wheel));

        String token;
        try (JarProcess server = JarProcess.serve(config, work)) {
            PythonTools.Run created =
                    JarProcess.cli(config, work, "token", "create", "--name", "ci", "--scope", "upload");
            created.requireSuccess("token create while the server runs");
            List<String> lines = created.output().strip().lines().toList();
            token = lines.get(lines.size() - 1);
            assertThat(token).startsWith("ww_");
            PythonTools.Run listed = JarProcess.cli(config, work, "token", "list");
            assertThat(listed.output()).contains("ci").contains("upload").doesNotContain(token.substring(20));

            assertThat(upload(server, token, wheel).statusCode()).isEqualTo(200);

            startUploadAndKill(server, token, work.resolve("data/tmp"));
        }

        try (JarProcess restarted = JarProcess.serve(config, work)) {
            String page = get(restarted, "/simple/durable/");
            assertThat(page).contains("durable-1.0-py3-none-any.whl#sha256=" + sha);
            assertThat(get(restarted, "/simple/half-written/")).isEqualTo("404");
            HttpResponse<byte[]> file = http.send(
                    HttpRequest.newBuilder(URI.create(restarted.url("/files/durable/durable-1.0-py3-none-any.whl")))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(TestServer.digest("SHA-256", file.body())).isEqualTo(sha);
            assertThat(regularFiles(work.resolve("data/tmp")))
                    .as("spooled parts of the killed upload")
                    .isEmpty();
            assertThat(regularFiles(work.resolve("data/blobs")))
                    .as("only the wheel and its .metadata")
                    .hasSize(2)
                    .noneMatch(p -> p.getFileName().toString().startsWith(".partial"));

            Path importDir = Files.createDirectories(work.resolve("import"));
            Wheels.simple(importDir, "imported-pkg", "2.0", "2.1");
            PythonTools.Run imported = JarProcess.cli(config, work, "import", importDir.toString());
            imported.requireSuccess("import while the server runs");
            assertThat(imported.output()).contains("imported 1 files");
            assertThat(get(restarted, "/simple/imported-pkg/")).contains("imported_pkg-2.0-py3-none-any.whl");

            assertThat(restarted.stop()).as("exit code after SIGTERM").isIn(0, 143);
        }
        try (JarProcess again = JarProcess.serve(config, work)) {
            assertThat(get(again, "/simple/imported-pkg/")).contains("imported_pkg-2.0-py3-none-any.whl");
        }
    }

    @Test
    void an_import_killed_mid_way_leaves_no_row_without_its_blob_and_completes_when_run_again() throws Exception {
        // #12: imports are recorded in batches, each only once its files' bytes are durable
        Path data = work.resolve("data");
        Path config = work.resolve("wheelwright.yaml");
        Files.writeString(config, "storage:\n  data-dir: " + data + "\n");
        Path dists = Files.createDirectories(work.resolve("dists"));
        int count = 1500;
        for (int i = 0; i < count; i++) {
            Wheels.simple(dists, "killed-" + (i / 5), "1." + (i % 5), "2.1");
        }
        Path log = work.resolve("import.log");
        Process importing = new ProcessBuilder(
                        "java",
                        "-jar",
                        JarProcess.jar().toAbsolutePath().toString(),
                        "--config",
                        config.toString(),
                        "import",
                        dists.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)
                && importing.isAlive()
                && !Files.readString(log).contains("stored ")) {
            Thread.sleep(20);
        }
        assertThat(importing.isAlive())
                .as("the import still running when it is killed")
                .isTrue();
        importing.destroyForcibly(); // SIGKILL: no shutdown hook, no last batch
        importing.waitFor();

        int recorded = assertEveryRowHasItsBlobs(data);
        assertThat(recorded).isLessThan(count);

        PythonTools.Run again = JarProcess.cli(config, work, "import", dists.toString());
        again.requireSuccess("the import run again");
        assertThat(again.output())
                .contains("imported " + (count - recorded) + " files, " + recorded + " already present, 0 refused");
        assertThat(assertEveryRowHasItsBlobs(data)).isEqualTo(count);
    }

    /** Every file row's blob and metadata blob are in the blob store; returns the number of rows. */
    private static int assertEveryRowHasItsBlobs(Path data) {
        try (JdbcStorage storage = JdbcStorage.openSqlite(data.resolve("wheelwright.db"))) {
            ProjectCatalog catalog = storage.catalog();
            int rows = 0;
            for (ProjectRecord project : catalog.projects()) {
                for (StoredFile f : catalog.files(project.name())) {
                    assertThat(data.resolve("blobs").resolve(f.blob().value()))
                            .as(f.filename())
                            .isRegularFile();
                    assertThat(data.resolve("blobs")
                                    .resolve(f.metadataBlob().orElseThrow().value()))
                            .as(f.filename() + ".metadata")
                            .isRegularFile();
                    rows++;
                }
            }
            return rows;
        }
    }

    /** Sends the headers and half of a 20 MB upload, waits until the server has spooled some of it, then SIGKILLs it. */
    private static void startUploadAndKill(JarProcess server, String token, Path spool) throws Exception {
        byte[] content = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(content);
        String boundary = "killboundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\":action\"\r\n\r\nfile_upload\r\n--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"half_written-1.0-py3-none-any.whl\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        long total = head.length + content.length + ("\r\n--" + boundary + "--\r\n").length();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /legacy/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary="
                            + boundary + "\r\nAuthorization: " + TestServer.basic("__token__", token)
                            + "\r\nContent-Length: " + total + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write(content, 0, content.length / 2);
            out.flush();
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline) && spooledBytes(spool) == 0) {
                Thread.sleep(50);
            }
            assertThat(spooledBytes(spool)).as("bytes spooled before the kill").isPositive();
            server.kill();
        }
    }

    private static long spooledBytes(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static List<Path> regularFiles(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private HttpResponse<String> upload(JarProcess server, String token, Path wheel) throws Exception {
        var form = TestServer.twineForm(wheel);
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url("/legacy/")))
                        .header("Content-Type", form.contentType())
                        .header("Authorization", TestServer.basic("__token__", token))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(JarProcess server, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url(path))).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : Integer.toString(r.statusCode());
    }
}

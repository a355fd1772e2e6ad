package dev.wheelwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's backup procedure, run as written while the server takes uploads: SQLite's online backup of the
 * database, then a copy of the blobs; a server started on the backup serves every file the backup lists, whole.
 */
class BackupIT {
    @TempDir
    Path work;

    @Test
    void a_backup_taken_during_uploads_serves_every_file_it_lists() throws Exception {
        Path data = work.resolve("data");
        Path backup = Files.createDirectories(work.resolve("backup"));
        Path dists = Files.createDirectories(work.resolve("dists"));
        AtomicBoolean stop = new AtomicBoolean();
        try (TestServer server = TestServer.start(data)) {
            String token = server.token("ci", Scope.UPLOAD);
            for (int i = 0; i < 5; i++) {
                assertThat(server.upload(token, TestServer.twineForm(Wheels.simple(dists, "before", "1." + i, "2.1")))
                                .statusCode())
                        .isEqualTo(200);
            }
            ExecutorService uploader = Executors.newSingleThreadExecutor();
            Future<Integer> during = uploader.submit(() -> {
                int n = 0;
                while (!stop.get() && n < 200) {
                    Path wheel = Wheels.simple(dists, "during", "2." + n, "2.1");
                    assertThat(server.upload(token, TestServer.twineForm(wheel)).statusCode())
                            .isEqualTo(200);
                    n++;
                }
                return n;
            });

            PythonTools.run(
                            List.of(
                                    "python3",
                                    "-c",
                                    "import sqlite3; sqlite3.connect(\"data/wheelwright.db\")"
                                            + ".backup(sqlite3.connect(\"backup/wheelwright.db\"))"),
                            work,
                            Map.of(),
                            120)
                    .requireSuccess("step 1: online backup of the database");
            PythonTools.run(
                            List.of(
                                    "sh",
                                    "-c",
                                    "cd data && find blobs -type f ! -name '.partial-*'"
                                            + " -exec cp --parents -p -t ../backup {} +"),
                            work,
                            Map.of(),
                            120)
                    .requireSuccess("step 2: copy of the blobs");
            stop.set(true);
            assertThat(during.get()).as("uploads made during the backup").isPositive();
            uploader.shutdown();
        }

        try (TestServer restored = TestServer.start(backup)) {
            String root = new String(restored.get("/simple/").body(), StandardCharsets.UTF_8);
            assertThat(root).contains("/simple/before/");
            for (String project : List.of("before", "during")) {
                String page =
                        new String(restored.get("/simple/" + project + "/").body(), StandardCharsets.UTF_8);
                for (String line :
                        page.lines().filter(l -> l.contains("#sha256=")).toList()) {
                    String href = line.substring(line.indexOf("href=\"") + 6, line.indexOf("#sha256="));
                    String sha = line.substring(line.indexOf("#sha256=") + 8, line.indexOf("#sha256=") + 72);
                    byte[] body = restored.get(href).body();
                    assertThat(TestServer.digest("SHA-256", body)).as(href).isEqualTo(sha);
                }
            }
            assertThat(new String(restored.get("/simple/before/").body(), StandardCharsets.UTF_8))
                    .contains("before-1.4-py3-none-any.whl");
        }
    }
}

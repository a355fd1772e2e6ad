package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.PostgresDatabase;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * #11: two in-process servers (replicas A and B) on one PostgreSQL database, each with its own data directory: what
 * one records, the other's cached pages show once PostgreSQL has delivered the change (milliseconds); the same filename uploaded through both at once
 * ends with one 200 and one 409.
 */
class PostgresReplicasIT {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @TempDir
    Path dataA;

    @TempDir
    Path dataB;

    @TempDir
    Path work;

    private TestServer a;
    private TestServer b;
    private String token;

    @BeforeEach
    void start() {
        postgres.database().empty();
        a = TestServer.startOnPostgres(dataA, postgres.database(), "");
        b = TestServer.startOnPostgres(dataB, postgres.database(), "");
        token = a.token("ci", Scope.UPLOAD); // recorded through A, used on both
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void an_upload_through_a_is_on_the_pages_b_had_cached_once_its_change_is_delivered() throws Exception {
        assertThat(b.get("/simple/demo-pkg/").statusCode()).isEqualTo(404); // B remembers: no such project
        String listBefore = page(b, "/simple/");
        assertThat(listBefore).doesNotContain("demo-pkg");
        assertThat(page(b, "/")).doesNotContain("demo-pkg");

        for (int i = 0; i < 5; i++) {
            Path wheel = Wheels.simple(work, "demo-pkg", "1." + i, "2.1");
            HttpResponse<String> upload = a.upload(token, TestServer.twineForm(wheel));
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);

            String sha = TestServer.digest("SHA-256", Files.readAllBytes(wheel));
            int round = i;
            // B learns of A's commit by PostgreSQL's notification (milliseconds), or its heartbeat at worst
            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(5))
                    .untilAsserted(() -> assertThat(page(b, "/simple/demo-pkg/"))
                            .as("upload %d", round)
                            .contains(wheel.getFileName() + "#sha256=" + sha));
            assertThat(page(b, "/simple/")).contains("demo-pkg");
            assertThat(page(b, "/project/demo-pkg/")).contains("1." + i);
        }
    }

    @Test
    void both_replicas_are_ready_on_the_shared_database() throws Exception {
        assertThat(a.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(b.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void one_filename_uploaded_through_both_replicas_at_once_is_one_200_and_one_409() throws Exception {
        int rounds = 10;
        int accepted = 0;
        int refused = 0;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                String version = "2." + round;
                Path viaA = variant("a" + round, version, "from replica A");
                Path viaB = variant("b" + round, version, "from replica B");
                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<HttpResponse<String>> toA =
                        CompletableFuture.supplyAsync(() -> uploadAfter(go, a, viaA), pool);
                CompletableFuture<HttpResponse<String>> toB =
                        CompletableFuture.supplyAsync(() -> uploadAfter(go, b, viaB), pool);
                go.countDown();
                List<Integer> statuses = new ArrayList<>(List.of(
                        toA.get(60, TimeUnit.SECONDS).statusCode(),
                        toB.get(60, TimeUnit.SECONDS).statusCode()));

                assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(200, 409);
                Path winner = statuses.get(0) == 200 ? viaA : viaB;
                String sha = TestServer.digest("SHA-256", Files.readAllBytes(winner));
                assertThat(page(a, "/simple/demo-pkg/")).contains(winner.getFileName() + "#sha256=" + sha);
                assertThat(page(b, "/simple/demo-pkg/")).contains(winner.getFileName() + "#sha256=" + sha);
                accepted += statuses.contains(200) ? 1 : 0;
                refused += statuses.contains(409) ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(accepted).isEqualTo(rounds);
        assertThat(refused).isEqualTo(rounds);
    }

    /** demo_pkg-VERSION-py3-none-any.whl with its own summary: the same filename, other bytes. */
    private Path variant(String folder, String version, String summary) throws Exception {
        Path dir = Files.createDirectories(work.resolve(folder));
        return Wheels.wheel(
                dir,
                "demo_pkg-" + version + "-py3-none-any.whl",
                "demo_pkg-" + version + ".dist-info",
                "demo_pkg",
                version,
                Wheels.metadata("2.1", "demo-pkg", version, "Summary: " + summary + "\n"));
    }

    private HttpResponse<String> uploadAfter(CountDownLatch go, TestServer server, Path wheel) {
        try {
            go.await();
            return server.upload(token, TestServer.twineForm(wheel));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String page(TestServer server, String path) throws Exception {
        HttpResponse<byte[]> response = server.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}

package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.testing.GitFixture;
import dev.wheelwright.testing.JarProcess;
import dev.wheelwright.testing.PostgresDatabase;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.S3TestEndpoint;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * #11's acceptance, as users run it: two replicas (separate server processes, each with its own data directory) on
 * one PostgreSQL database and one S3 bucket. An upload through A is installable through B at once and no artifact
 * byte lands on a replica's disk; {@code kill -9} of A during a stream of uploads loses no acknowledged upload and
 * leaves no row without its object and no orphan object that {@code gc} does not list; a tag asked for on both at
 * once is built once; a build whose replica was killed is finished by the other.
 */
class ReplicasIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_PAGE = "application/vnd.pypi.simple.v1+json";

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @TempDir
    Path dir;

    private final S3TestEndpoint s3 = S3TestEndpoint.get();
    private final HttpClient http = HttpClient.newHttpClient();
    private String bucket;

    @BeforeEach
    void emptyStores() {
        postgres.database().empty();
        bucket = s3.createBucket();
    }

    @Test
    void uploads_through_one_replica_are_served_by_the_other_and_kill_minus_9_loses_no_acknowledged_upload()
            throws Exception {
        Path configA = config("a", "");
        Path configB = config("b", "");
        Path dist = Files.createDirectories(dir.resolve("dist"));
        try (JarProcess a = JarProcess.serve(configA, dir, List.of(), env());
                JarProcess b = JarProcess.serve(configB, dir, List.of(), env())) {
            PythonTools.Run created =
                    JarProcess.cli(configA, dir, env(), "token", "create", "--name", "ci", "--scope", "upload");
            created.requireSuccess("token create on replica A's config");
            List<String> lines = created.output().strip().lines().toList();
            String token = lines.get(lines.size() - 1);

            Path first = Wheels.simple(dist, "first-pkg", "1.0", "2.1");
            assertThat(upload(a, token, first).statusCode()).isEqualTo(200);
            PythonTools.pipInstall(
                            PythonTools.pip23(), b.url("/simple/"), dir.resolve("t1"), List.of("first-pkg"), Map.of())
                    .requireSuccess("pip install through B of what was just uploaded through A");
            assertThat(dir.resolve("t1/first_pkg")).isDirectory();

            List<Path> acknowledged = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        Path wheel = Wheels.simple(dist, "stream-" + i, "1.0", "2.1");
                        if (upload(a, token, wheel).statusCode() == 200) {
                            acknowledged.add(wheel);
                        }
                    } catch (IOException e) { // A is gone
                        return;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            awaitTrue(() -> acknowledged.size() >= 15, Duration.ofSeconds(90));
            a.kill();
            stream.join();
            assertThat(acknowledged).hasSizeLessThan(200); // the kill came mid-stream

            for (Path wheel : acknowledged) {
                String name = wheel.getFileName().toString();
                String project = name.substring(0, name.indexOf('-')).replace('_', '-');
                String sha = TestServer.digest("SHA-256", Files.readAllBytes(wheel));
                assertThat(get(b, "/simple/" + project + "/").body())
                        .as("acknowledged upload %s, listed by B", name)
                        .contains(name + "#sha256=" + sha);
                HttpResponse<byte[]> file = getBytes(b, "/files/" + project + "/" + name);
                assertThat(TestServer.digest("SHA-256", file.body())).isEqualTo(sha);
            }
            assertThat(rowsWithoutTheirObject())
                    .as("rows whose object is missing")
                    .isEmpty();
            Set<String> orphans = orphanObjects();
            PythonTools.Run gc = JarProcess.cli(configB, dir, env(), "gc", "--blob-age", "0");
            gc.requireSuccess("gc dry run on B's config");
            Set<String> listed = matches(gc.output(), Pattern.compile("would remove blob (\\S+)"));
            assertThat(listed)
                    .as("what gc would remove: the objects no row refers to")
                    .isEqualTo(orphans);
            assertThat(artifactFiles(dir.resolve("data-a")))
                    .as("artifact bytes on A's disk")
                    .isEmpty();
            assertThat(artifactFiles(dir.resolve("data-b")))
                    .as("artifact bytes on B's disk")
                    .isEmpty();
        }
    }

    @Test
    void a_tag_asked_for_on_both_replicas_is_built_once_and_a_killed_replicas_build_is_finished_by_the_other()
            throws Exception {
        GitFixture fast = GitFixture.over(SourceProjects.hatchling(dir.resolve("repos"), "fast-a", "1.0.0"));
        GitFixture slow = GitFixture.over(slowHatchling(dir.resolve("repos"), "slow-b", "1.0.0"));
        String git = "build: {lease-time: 5s, index-url: \"file:///opt/pypi/simple\"}\n"
                + "git:\n  poll-interval: 0s\n  listing-wait: 2s\n  projects:\n"
                + "    - {name: fast-a, url: \"" + fast.url() + "\"}\n"
                + "    - {name: slow-b, url: \"" + slow.url() + "\"}\n";
        Path configA = config("a", git);
        Path configB = config("b", git);
        try (JarProcess a = JarProcess.serve(configA, dir, List.of(), env());
                JarProcess b = JarProcess.serve(configB, dir, List.of(), env())) {
            fast.tag("v1.0.0");
            CompletableFuture<HttpResponse<String>> onA = CompletableFuture.supplyAsync(() -> page(a, "fast-a"));
            CompletableFuture<HttpResponse<String>> onB = CompletableFuture.supplyAsync(() -> page(b, "fast-a"));
            assertThat(onA.join().statusCode()).isEqualTo(200);
            assertThat(onB.join().statusCode()).isEqualTo(200);

            JsonNode builtOnA = awaitBuild(a, "fast-a", "succeeded", Duration.ofMinutes(3));
            JsonNode builtOnB = awaitBuild(b, "fast-a", "succeeded", Duration.ofSeconds(30));
            assertThat(builtOnA).hasSize(1);
            for (String field : List.of("status", "commit", "queued_at", "started_at", "finished_at")) {
                assertThat(builtOnB.get(0).get(field))
                        .as("the builds API on both replicas: " + field)
                        .isEqualTo(builtOnA.get(0).get(field));
            }
            int builders = (a.output().contains("building fast-a 1.0.0 from tag v1.0.0") ? 1 : 0)
                    + (b.output().contains("building fast-a 1.0.0 from tag v1.0.0") ? 1 : 0);
            assertThat(builders)
                    .as("replicas that ran the build of fast-a 1.0.0")
                    .isEqualTo(1);
            PythonTools.pipInstall(
                            PythonTools.pip23(),
                            b.url("/simple/"),
                            dir.resolve("t2"),
                            List.of("fast-a==1.0.0"),
                            Map.of())
                    .requireSuccess("pip install of the git release through B");

            slow.tag("v1.0.0");
            page(a, "slow-b");
            awaitBuild(a, "slow-b", "running", Duration.ofMinutes(2));
            String owner = postgres.database()
                    .query("SELECT owner FROM leases WHERE resource = 'build:slow-b:1.0.0'")
                    .get(0);
            JarProcess running = owner.endsWith(":" + a.port()) ? a : b;
            JarProcess survivor = running == a ? b : a;
            Instant killed = Instant.now();
            running.kill();

            JsonNode finished = awaitBuild(survivor, "slow-b", "succeeded", Duration.ofMinutes(3));
            assertThat(survivor.output())
                    .containsAnyOf(
                            "taking up the running build of slow-b 1.0.0", // found by the look for orphans
                            "the build of slow-b 1.0.0 has no live lease any more; taking it over"); // was following
            assertThat(Instant.parse(finished.get(0).get("started_at").asText()))
                    .as("the survivor started it again after the kill")
                    .isAfter(killed);
            PythonTools.pipInstall(
                            PythonTools.pip23(),
                            survivor.url("/simple/"),
                            dir.resolve("t3"),
                            List.of("slow-b==1.0.0"),
                            Map.of())
                    .requireSuccess("pip install of the release the survivor finished");
        }
    }

    // --- fixtures

    private Map<String, String> env() {
        return Map.of(
                "WW_DB_PASSWORD", postgres.database().password(),
                "WW_S3_ACCESS", s3.accessKey(),
                "WW_S3_SECRET", s3.secretKey());
    }

    private Path config(String replica, String extra) throws IOException {
        Path file = dir.resolve(replica + ".yaml");
        Files.writeString(
                file,
                "storage:\n"
                        + "  data-dir: \"" + dir.resolve("data-" + replica) + "\"\n"
                        + "  metadata: {type: postgres, url: \""
                        + postgres.database().url() + "\", user: \""
                        + postgres.database().user() + "\", password-env: WW_DB_PASSWORD, pool-size: 4}\n"
                        + "  artifacts: {type: s3, endpoint: \"" + s3.endpoint() + "\", bucket: " + bucket
                        + ", region: us-east-1, path-style: true, access-key-env: WW_S3_ACCESS,"
                        + " secret-key-env: WW_S3_SECRET}\n"
                        + extra);
        return file;
    }

    /** A hatchling project whose wheel build sleeps 20 s in a build hook: long enough to kill its replica. */
    private static Path slowHatchling(Path parent, String name, String version) throws IOException {
        Path project = SourceProjects.hatchling(parent, name, version);
        Files.writeString(
                project.resolve("pyproject.toml"),
                Files.readString(project.resolve("pyproject.toml"))
                        + "\n[tool.hatch.build.targets.wheel.hooks.custom]\n");
        Files.writeString(project.resolve("hatch_build.py"), """
                import time

                from hatchling.builders.hooks.plugin.interface import BuildHookInterface


                class CustomBuildHook(BuildHookInterface):
                    def initialize(self, version, build_data):
                        time.sleep(20)
                """);
        return project;
    }

    private HttpResponse<String> upload(JarProcess server, String token, Path wheel)
            throws IOException, InterruptedException {
        var form = TestServer.twineForm(wheel);
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url("/legacy/")))
                        .header("Content-Type", form.contentType())
                        .header("Authorization", TestServer.basic("__token__", token))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> page(JarProcess server, String project) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(server.url("/simple/" + project + "/")))
                            .header("Accept", JSON_PAGE)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> get(JarProcess server, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(JarProcess server, String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.url(path))).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The builds API's list for {@code project} once its one build has {@code status}. */
    private JsonNode awaitBuild(JarProcess server, String project, String status, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        JsonNode builds = JSON.createArrayNode();
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = get(server, "/api/v1/builds?project=" + project);
            builds = JSON.readTree(r.body());
            if (r.statusCode() == 200
                    && builds.size() == 1
                    && builds.get(0).get("status").asText().equals(status)) {
                return builds;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + status + " build of " + project + " within " + within + ": " + builds);
    }

    /** The blob keys file rows and upstream cache rows refer to that the bucket does not have. */
    private Set<String> rowsWithoutTheirObject() {
        Set<String> missing = new HashSet<>(referencedKeys());
        missing.removeAll(bucketKeys());
        return missing;
    }

    /** The objects of the bucket no row refers to (build logs aside: build records refer to them by name). */
    private Set<String> orphanObjects() {
        Set<String> orphans = new HashSet<>(bucketKeys());
        orphans.removeAll(referencedKeys());
        orphans.removeIf(k -> k.startsWith("build-logs/"));
        return orphans;
    }

    private Set<String> referencedKeys() {
        return new HashSet<>(postgres.database().query("""
                SELECT blob_key FROM files
                UNION SELECT metadata_blob_key FROM files WHERE metadata_blob_key IS NOT NULL
                UNION SELECT blob_key FROM upstream_files"""));
    }

    private Set<String> bucketKeys() {
        return s3.client().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .filter(k -> !k.endsWith("/")) // the directory markers of S3Proxy's filesystem backend
                .collect(Collectors.toSet());
    }

    private static Set<String> matches(String text, Pattern pattern) {
        Set<String> found = new HashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static List<Path> artifactFiles(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(dataDir.resolve("build-envs"))) // the build tools' own wheels
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".whl")
                                || name.endsWith(".tar.gz")
                                || name.endsWith(".zip")
                                || name.endsWith(".metadata");
                    })
                    .toList();
        }
    }

    private interface Condition {
        boolean test() throws Exception;
    }

    private static void awaitTrue(Condition condition, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (!condition.test()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + within);
            }
            Thread.sleep(50);
        }
    }
}

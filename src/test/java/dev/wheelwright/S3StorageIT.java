package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildService;
import dev.wheelwright.config.ConfigException;
import dev.wheelwright.testing.CorruptingProxy;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.S3TestEndpoint;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.StaticIndexServer;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * #11: the server with {@code storage.artifacts.type: s3} (and SQLite metadata) on a real S3 server: twine-shaped
 * uploads, pip installs (through this server, and redirected to presigned URLs), an upstream-cached download, ranges,
 * readiness and {@code check}; no artifact byte stays in the data dir.
 */
class S3StorageIT {
    private static final Path MIRROR = Path.of("/opt/pypi");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final S3TestEndpoint s3 = S3TestEndpoint.get();

    private Map<String, String> env() {
        return Map.of("TEST_S3_ACCESS", s3.accessKey(), "TEST_S3_SECRET", s3.secretKey());
    }

    private String storage(String bucket, String extra) {
        return "storage:\n"
                + "  data-dir: \"" + dir.resolve("data") + "\"\n"
                + "  artifacts: {type: s3, endpoint: \"" + s3.endpoint() + "\", bucket: " + bucket
                + ", region: us-east-1, path-style: true, access-key-env: TEST_S3_ACCESS,"
                + " secret-key-env: TEST_S3_SECRET, key-prefix: wheelwright/" + extra + "}\n";
    }

    @Test
    void uploads_builds_and_upstream_files_live_in_the_bucket_and_no_artifact_stays_in_the_data_dir() throws Exception {
        String bucket = s3.createBucket();
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("dist")), "s3demo", "1.0", "2.1");
        try (StaticIndexServer upstream = new StaticIndexServer(MIRROR);
                TestServer server = TestServer.startWithStorage(
                        storage(bucket, "") + "upstreams:\n  - {name: mirror, url: \"" + upstream.indexUrl() + "\"}\n"
                                + "build: {index-url: \"file:///opt/pypi/simple\"}\n",
                        env())) {
            String token = server.token("ci", Scope.UPLOAD);

            assertThat(server.upload(token, TestServer.twineForm(wheel)).statusCode())
                    .isEqualTo(200);
            BuildService builds = server.running().builds();
            builds.submit(SourceProjects.request(
                    "built-demo",
                    "1.0.0",
                    "v1.0.0",
                    SourceProjects.hatchling(dir.resolve("projects"), "built-demo", "1.0.0")));
            BuildRecord build =
                    builds.await("built-demo", "1.0.0", Duration.ofMinutes(3)).orElseThrow();
            assertThat(build.status())
                    .as("build of built-demo: %s", build.reason().orElse(""))
                    .isEqualTo(BuildRecord.Status.SUCCEEDED);
            PythonTools.pipInstall(
                            PythonTools.pip23(),
                            server.indexUrl(),
                            dir.resolve("t1"),
                            List.of("s3demo", "idna", "built-demo==1.0.0"),
                            Map.of())
                    .requireSuccess("pip install of a hosted and an upstream wheel from the bucket");
            assertThat(dir.resolve("t1/s3demo")).isDirectory();
            assertThat(dir.resolve("t1/idna")).isDirectory();
            assertThat(dir.resolve("t1/built_demo")).isDirectory();
            String path = "/files/s3demo/" + wheel.getFileName();
            HttpResponse<byte[]> whole = server.get(path);
            HttpResponse<byte[]> range = server.get(path, "Range", "bytes=10-29");

            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(Files.readAllBytes(wheel));
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.headers().firstValue("Content-Range")).contains("bytes 10-29/" + Files.size(wheel));
            assertThat(range.body()).isEqualTo(Arrays.copyOfRange(Files.readAllBytes(wheel), 10, 30));
            assertThat(server.get("/files/idna/idna-3.20-py3-none-any.whl").statusCode())
                    .isEqualTo(200);
            List<String> keys = s3.client().listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                    .map(S3Object::key)
                    .filter(k -> !k.endsWith("/")) // the directory markers S3Proxy's filesystem backend lists
                    .toList();
            assertThat(keys)
                    .as("the ended build's log, kept where every replica finds it")
                    .contains("wheelwright/build-logs/built-demo/1.0.0.log");
            assertThat(keys.stream().filter(k -> !k.startsWith("wheelwright/build-logs/")))
                    .as("the hosted, built and upstream wheels and their .metadata, under the key prefix")
                    .hasSizeGreaterThanOrEqualTo(6)
                    .allMatch(k -> k.startsWith("wheelwright/sha256/"));
            assertThat(keys).anyMatch(k -> k.endsWith(".whl")).anyMatch(k -> k.endsWith(".metadata"));
            assertThat(artifactFilesUnder(dir.resolve("data")))
                    .as("artifact bytes in the data dir")
                    .isEmpty();
        }
    }

    @Test
    void pip_installs_a_hosted_wheel_through_a_redirect_to_a_presigned_url() throws Exception {
        String bucket = s3.createBucket();
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("dist")), "redirected", "2.0", "2.1");
        try (TestServer server =
                TestServer.startWithStorage(storage(bucket, ", redirect: true, redirect-lifetime: 2m"), env())) {
            String token = server.token("ci", Scope.UPLOAD);
            assertThat(server.upload(token, TestServer.twineForm(wheel)).statusCode())
                    .isEqualTo(200);
            String path = "/files/redirected/" + wheel.getFileName();
            String sha = TestServer.digest("SHA-256", Files.readAllBytes(wheel));

            HttpResponse<byte[]> get = server.get(path);
            HttpResponse<byte[]> notModified = server.get(path, "If-None-Match", "\"" + sha + "\"");
            HttpResponse<Void> head = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(java.net.URI.create(server.url(path)))
                                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());

            assertThat(get.statusCode()).isEqualTo(302);
            String location = get.headers().firstValue("Location").orElseThrow();
            assertThat(location)
                    .startsWith(s3.endpoint() + "/" + bucket + "/wheelwright/sha256/")
                    .contains("X-Amz-Expires=120");
            assertThat(get.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(get.headers().firstValue("ETag")).contains("\"" + sha + "\"");
            assertThat(notModified.statusCode()).isEqualTo(304);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(wheel));
            HttpResponse<byte[]> direct = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(java.net.URI.create(location))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(direct.body()).isEqualTo(Files.readAllBytes(wheel));

            PythonTools.pipInstall(
                            PythonTools.pip26(), server.indexUrl(), dir.resolve("t"), List.of("redirected"), Map.of())
                    .requireSuccess("pip install through the redirect");
            assertThat(dir.resolve("t/redirected")).isDirectory();
        }
    }

    @Test
    void an_upload_whose_bytes_reach_the_bucket_corrupted_is_refused_and_not_recorded() throws Exception {
        String bucket = s3.createBucket();
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("dist")), "mangled", "1.0", "2.1");
        try (CorruptingProxy network = new CorruptingProxy(s3.endpoint(), line -> line.startsWith("PUT "));
                TestServer server = TestServer.startWithStorage(
                        storage(bucket, "")
                                .replace(
                                        s3.endpoint().toString(),
                                        network.endpoint().toString()),
                        env())) {
            String token = server.token("ci", Scope.UPLOAD);

            HttpResponse<String> upload = server.upload(token, TestServer.twineForm(wheel));

            assertThat(network.corrupted()).isPositive();
            assertThat(upload.statusCode()).isEqualTo(500);
            assertThat(upload.body()).contains("cannot write blob").doesNotContain(s3.secretKey());
            assertThat(server.get("/simple/mangled/").statusCode())
                    .as("no row for a file whose bytes are not in the bucket")
                    .isEqualTo(404);
            assertThat(s3.client().listObjectsV2(b -> b.bucket(bucket)).contents())
                    .extracting(S3Object::key)
                    .noneMatch(k -> k.endsWith(".whl"));
        }
    }

    @Test
    void readiness_fails_and_check_names_the_bucket_when_it_is_not_there() throws Exception {
        try (TestServer server = TestServer.startWithStorage(storage("no-such-bucket-x", ""), env())) {
            HttpResponse<byte[]> r = server.get("/readyz");

            assertThat(r.statusCode()).isEqualTo(503);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("checks").path("artifacts").asText()).isNotEqualTo("ok");
        }
        String bucket = s3.createBucket();
        try (TestServer server = TestServer.startWithStorage(storage(bucket, ""), env())) {
            assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
        }

        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(config, storage("no-such-bucket-x", ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Wheelwright(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, env())
                .run(new String[] {"--config", config.toString(), "check"});

        assertThat(code).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("artifacts NOT usable: the bucket s3://no-such-bucket-x at " + s3.endpoint()
                        + " is not usable: the bucket does not exist")
                .contains("storage.artifacts");
        Files.writeString(config, storage(bucket, ""));
        out.reset();
        new Wheelwright(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, env())
                .run(new String[] {"--config", config.toString(), "check"});
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("artifacts ok: s3://" + bucket + "/wheelwright/ at " + s3.endpoint() + " reachable");
    }

    @Test
    void a_key_variable_that_is_not_set_stops_the_start_naming_it() {
        String yaml = storage(s3.createBucket(), "");

        assertThatThrownBy(() -> TestServer.startWithStorage(yaml, Map.of("TEST_S3_ACCESS", s3.accessKey())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid config: storage.artifacts.secret-key-env: the environment variable TEST_S3_SECRET"
                        + " is not set");
    }

    /** Files under {@code dir} holding distribution or metadata bytes (by name, or anywhere under a blobs/ dir). */
    private static List<Path> artifactFilesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".whl")
                                || name.endsWith(".tar.gz")
                                || name.endsWith(".zip")
                                || name.endsWith(".metadata")
                                || dir.relativize(p).startsWith("blobs");
                    })
                    .toList();
        }
    }
}

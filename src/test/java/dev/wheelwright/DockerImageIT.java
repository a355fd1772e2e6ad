package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.testing.GitFixture;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.StaticIndexServer;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image of {@code docker/Dockerfile} as an operator uses it (issue #11, part 6): built on the base image this
 * machine has ({@code scripts/docker-engine} makes it with debootstrap; no registry is reachable), run on loopback, then
 * a token made inside the container, a real {@code twine upload}, a real {@code pip install}, and a git tag built by
 * the container's own Python inside bubblewrap. The compose file is validated by {@code docker-compose config}. No
 * engine, base image or docker-compose: the test fails with one line saying how to get them.
 *
 * <p>The build reuses its layers across runs (the Maven dependency layer changes only with {@code pom.xml}); Maven
 * downloads come from this machine's local repository, served on loopback as the image's {@code MAVEN_MIRROR}.
 */
class DockerImageIT {
    private static final String BASE_IMAGE =
            System.getProperty("wheelwright.docker.base-image", "wheelwright-base:bookworm");
    private static final String IMAGE = "wheelwright:it";
    private static final String HOW_TO_GET_IT =
            "run scripts/docker-engine as root (installs docker.io, debootstrap and docker-compose, starts dockerd and"
                    + " makes the base image)";
    /**
     * The local Maven repository is served on the first free port of this range: a fixed URL keeps the image's
     * dependency layer cached from one run to the next (the mirror URL is part of that layer's build arguments).
     */
    private static final int MIRROR_PORTS_FROM = 41731;

    private static final int MIRROR_PORTS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @BeforeAll
    static void build_the_image() throws Exception {
        PythonTools.Run info = docker(List.of("info", "--format", "{{.ServerVersion}}"), 60);
        if (info.exitCode() != 0) {
            throw new AssertionError("no Docker engine answers `docker info`: " + HOW_TO_GET_IT);
        }
        if (docker(List.of("image", "inspect", BASE_IMAGE), 60).exitCode() != 0) {
            throw new AssertionError("the base image " + BASE_IMAGE + " is missing: " + HOW_TO_GET_IT);
        }
        try (StaticIndexServer mirror = mavenMirror()) {
            docker(
                            List.of(
                                    "build",
                                    "--force-rm",
                                    "--network",
                                    "host",
                                    "--build-arg",
                                    "BASE_IMAGE=" + BASE_IMAGE,
                                    "--build-arg",
                                    "MAVEN_MIRROR=" + mirror.rootUrl(),
                                    "--file",
                                    "docker/Dockerfile",
                                    "--tag",
                                    IMAGE,
                                    "."),
                            1500)
                    .requireSuccess("docker build of docker/Dockerfile");
        }
    }

    @Test
    void a_container_serves_twine_upload_and_pip_install_and_builds_a_git_tag_in_bubblewrap() throws Exception {
        // a git-backed project the container builds: the repository and the wheel mirror mounted read-only
        Path repos = Files.createDirectories(dir.resolve("repos"));
        GitFixture git = GitFixture.over(SourceProjects.hatchling(repos, "docker-git", "1.0.0"));
        git.tag("v1.0.0");
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(
                config,
                "build: {index-url: \"file://" + PythonTools.WHEEL_MIRROR.getParent() + "/simple\"}\n"
                        + "git:\n  poll-interval: 0s\n  projects:\n"
                        + "    - { name: docker-git, url: \"" + git.url() + "\" }\n");
        int port = freePort();
        String name = "wheelwright-it-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            docker(
                            List.of(
                                    "run",
                                    "--detach",
                                    "--name",
                                    name,
                                    "--network",
                                    "host",
                                    // what bubblewrap needs of the runtime (README "Docker")
                                    "--security-opt",
                                    "seccomp=unconfined",
                                    "--security-opt",
                                    "systempaths=unconfined",
                                    "--security-opt",
                                    "apparmor=unconfined",
                                    "--health-interval",
                                    "1s",
                                    "--env",
                                    "WHEELWRIGHT_SERVER_HOST=127.0.0.1",
                                    "--env",
                                    "WHEELWRIGHT_SERVER_PORT=" + port,
                                    "--env",
                                    "WHEELWRIGHT_CONFIG=/etc/wheelwright/it.yaml",
                                    "--volume",
                                    config + ":/etc/wheelwright/it.yaml:ro",
                                    "--volume",
                                    repos + ":" + repos + ":ro",
                                    "--volume",
                                    PythonTools.WHEEL_MIRROR.getParent() + ":" + PythonTools.WHEEL_MIRROR.getParent()
                                            + ":ro",
                                    IMAGE),
                            60)
                    .requireSuccess("docker run");
            String base = "http://127.0.0.1:" + port;
            awaitReady(name, base);
            awaitHealth(name, "healthy");
            assertThat(docker(List.of("exec", name, "id", "-un"), 30)
                            .requireSuccess("id in the container")
                            .output())
                    .as("the server's user")
                    .isEqualTo("wheelwright\n");

            // a token made inside the container by the CLI, on the container's data
            PythonTools.Run created = docker(
                            List.of(
                                    "exec",
                                    name,
                                    "java",
                                    "-jar",
                                    "/opt/wheelwright/wheelwright.jar",
                                    "token",
                                    "create",
                                    "--name",
                                    "ci",
                                    "--scope",
                                    "upload"),
                            120)
                    .requireSuccess("token create in the container");
            String[] lines = created.output().strip().split("\n");
            String token = lines[lines.length - 1].strip();
            assertThat(token).startsWith("ww_");

            Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("dist")), "docker-probe", "1.0", "2.1");
            PythonTools.twineUpload(base + "/legacy/", token, List.of(wheel)).requireSuccess("twine upload");
            PythonTools.pipInstall(
                            PythonTools.pip23(),
                            base + "/simple/",
                            dir.resolve("installed"),
                            List.of("docker-probe==1.0"),
                            Map.of())
                    .requireSuccess("pip install of the uploaded wheel");
            assertThat(Files.readString(dir.resolve("installed/docker_probe/__init__.py")))
                    .contains("1.0");
            // the uploaded bytes are in the container's data volume (content-addressed blobs)
            assertThat(docker(
                                    List.of(
                                            "exec",
                                            name,
                                            "find",
                                            "/var/lib/wheelwright/blobs",
                                            "-type",
                                            "f",
                                            "-exec",
                                            "sha256sum",
                                            "{}",
                                            "+"),
                                    30)
                            .requireSuccess("sha256sum of the blobs in the container")
                            .output())
                    .contains(Sha256.hex(wheel));

            // a git tag: pip's request makes the container build it (hatchling from the mounted wheel mirror)
            PythonTools.pipInstall(
                            PythonTools.pip23(),
                            base + "/simple/",
                            dir.resolve("built"),
                            List.of("docker-git==1.0.0"),
                            Map.of())
                    .requireSuccess("pip install of a git tag built in the container");
            assertThat(Files.readString(dir.resolve("built/docker_git/__init__.py")))
                    .contains("1.0.0");
            JsonNode build = JSON.readTree(get(base + "/api/v1/builds?project=docker-git"))
                    .get(0);
            assertThat(build.get("status").asText()).isEqualTo("succeeded");
            String log = URI.create(base + "/")
                    .resolve(build.get("log_url").asText())
                    .toString();
            assertThat(get(log)).contains("sandbox bubblewrap");

            // SIGTERM reaches the JVM through tini: a graceful stop, not the SIGKILL after the grace period
            docker(List.of("stop", "--time", "30", name), 60).requireSuccess("docker stop");
            String exit = docker(List.of("inspect", "--format", "{{.State.ExitCode}}", name), 30)
                    .requireSuccess("docker inspect")
                    .output()
                    .strip();
            assertThat(exit).as("exit code after docker stop").isIn("0", "143");
        } finally {
            docker(List.of("rm", "--force", "--volumes", name), 60);
        }
    }

    @Test
    void the_jvm_in_the_image_maps_the_servers_classes_from_the_archive_made_at_build_time() throws Exception {
        // -Xshare:on: a JVM that cannot map the archive named in the image's JDK_JAVA_OPTIONS fails instead of
        // starting without it; "(top)" marks a class mapped from that archive, not from the JDK's own
        PythonTools.Run run = docker(
                List.of(
                        "run",
                        "--rm",
                        "--network",
                        "host",
                        "--entrypoint",
                        "java",
                        IMAGE,
                        "-Xshare:on",
                        "-Xlog:class+load=info",
                        "-jar",
                        "/opt/wheelwright/wheelwright.jar",
                        "--help"),
                120);

        assertThat(run.output())
                .as("class loading of `java -jar wheelwright.jar --help` in the image")
                .contains("dev.wheelwright.Wheelwright source: shared objects file (top)")
                .contains("dev.wheelwright.cli.WheelwrightCommand source: shared objects file (top)");
    }

    @Test
    void the_compose_file_validates_with_five_services() throws Exception {
        assertThat(compose("config", "--services").lines().toList())
                .containsExactlyInAnyOrder("wheelwright", "postgres", "minio", "createbucket", "loadbalancer");
        assertThat(compose("config")).contains("replicas: 2");
    }

    /** {@code docker-compose --file docker/compose.yaml ARGS}: its output, after a zero exit. */
    private static String compose(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker-compose", "--file", "docker/compose.yaml"));
        argv.addAll(List.of(args));
        try {
            return PythonTools.run(argv, Map.of(), 60)
                    .requireSuccess(String.join(" ", argv))
                    .output();
        } catch (IOException notInstalled) {
            throw new AssertionError("docker-compose is not installed: " + HOW_TO_GET_IT, notInstalled);
        }
    }

    private static StaticIndexServer mavenMirror() throws IOException {
        Path repository = Path.of(System.getProperty(
                "maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        if (!Files.isDirectory(repository)) {
            throw new AssertionError("no local Maven repository at " + repository + " to build the image from");
        }
        for (int port = MIRROR_PORTS_FROM; port < MIRROR_PORTS_FROM + MIRROR_PORTS; port++) {
            try {
                return new StaticIndexServer(repository, port);
            } catch (BindException taken) {
                // the next port of the range
            }
        }
        throw new AssertionError("ports " + MIRROR_PORTS_FROM + "-" + (MIRROR_PORTS_FROM + MIRROR_PORTS - 1)
                + " are all taken; the local Maven repository cannot be served to the image build");
    }

    private static void awaitReady(String name, String base) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create(base + "/readyz"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!state(name, "{{.State.Running}}").equals("true")) {
                throw new AssertionError("the container stopped:\n" + logs(name));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the container did not become ready within 90 s:\n" + logs(name));
    }

    private static void awaitHealth(String name, String wanted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        String health = "";
        while (Instant.now().isBefore(deadline)) {
            health = state(name, "{{.State.Health.Status}}");
            if (health.equals(wanted)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the container's HEALTHCHECK says " + health + ", not " + wanted + ":\n" + logs(name));
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
        return response.body();
    }

    private static String state(String name, String format) throws Exception {
        return docker(List.of("inspect", "--format", format, name), 30)
                .requireSuccess("docker inspect")
                .output()
                .strip();
    }

    private static String logs(String name) throws Exception {
        return docker(List.of("logs", name), 30).output();
    }

    private static PythonTools.Run docker(List<String> args, int timeoutSeconds) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(args);
        try {
            return PythonTools.run(argv, Map.of(), timeoutSeconds);
        } catch (IOException noClient) {
            throw new AssertionError("no docker client on PATH: " + HOW_TO_GET_IT, noClient);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

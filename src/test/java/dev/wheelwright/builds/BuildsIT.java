package dev.wheelwright.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.builds.BuildRecord.Status;
import dev.wheelwright.builds.pip.PythonWheelBuilder;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BuildStatus;
import dev.wheelwright.storage.BuilderIdentity;
import dev.wheelwright.storage.StoredBuild;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real builds: tiny projects for five backends, built by the real {@link PythonWheelBuilder} (with bubblewrap when
 * the machine has it) in the in-process server, stored, and installed with real pip from that server. Build
 * requirements come from the machine's local wheel mirror ({@code build.index-url}).
 */
class BuildsIT {
    private static final Duration BUILD_WAIT = Duration.ofMinutes(3);
    private static final Map<String, String> PIP_ENV = Map.of("PIP_DEFAULT_TIMEOUT", "15");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir.resolve("data"), "build: {index-url: \"file:///opt/pypi/simple\", workers: 2}\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void builds_hatchling_setuptools_flit_poetry_and_setuptools_scm_projects_that_pip_installs() throws Exception {
        Path projects = dir.resolve("backends");
        List<BuildRequest> requests = List.of(
                SourceProjects.request(
                        "hatch-demo", "1.0.0", "v1.0.0", SourceProjects.hatchling(projects, "hatch-demo", "1.0.0")),
                SourceProjects.request(
                        "st-demo", "1.1.0", "1.1.0", SourceProjects.setuptools(projects, "st-demo", "1.1.0")),
                SourceProjects.request(
                        "flit-demo", "1.2.0", "release-1.2.0", SourceProjects.flit(projects, "flit-demo", "1.2.0")),
                SourceProjects.request(
                        "poetry-demo", "1.3.0", "V1.3.0", SourceProjects.poetry(projects, "poetry-demo", "1.3.0")),
                SourceProjects.request(
                        "scm-demo", "2.3.4", "v2.3.4", SourceProjects.setuptoolsScm(projects, "scm-demo")));

        requests.forEach(r -> builds().submit(r));
        for (BuildRequest r : requests) {
            assertSucceeded(r.project().normalized(), r.version().normalized());
        }
        Path target = dir.resolve("installed");
        PythonTools.pipInstall(
                        PythonTools.pip23(),
                        server.indexUrl(),
                        target,
                        List.of(
                                "hatch-demo==1.0.0",
                                "st-demo==1.1.0",
                                "flit-demo==1.2.0",
                                "poetry-demo==1.3.0",
                                "scm-demo==2.3.4"),
                        PIP_ENV)
                .requireSuccess("pip install of the five built projects");
        String imported = python(target, """
                import hatch_demo, st_demo, flit_demo, poetry_demo, scm_demo
                for m in (hatch_demo, st_demo, flit_demo, poetry_demo, scm_demo):
                    print(m.__name__, m.VERSION, m.BACKEND)
                """);

        assertThat(imported.lines())
                .containsExactly(
                        "hatch_demo 1.0.0 hatchling",
                        "st_demo 1.1.0 setuptools",
                        "flit_demo 1.2.0 flit_core",
                        "poetry_demo 1.3.0 poetry-core",
                        "scm_demo 2.3.4 setuptools-scm");
        for (BuildRequest r : requests) {
            assertThat(server.running().store().catalog().files(r.project()))
                    .extracting(f -> f.packagetype().label())
                    .containsExactlyInAnyOrder("sdist", "bdist_wheel");
        }
    }

    /**
     * #9: a backend that asks for more at build time (setuptools' {@code setup_requires}, through PEP 517
     * {@code get_requires_for_build_wheel}) gets it installed into an environment keyed by both sets.
     */
    @Test
    void what_a_backend_asks_for_at_build_time_is_installed_before_the_build() throws Exception {
        Path project = SourceProjects.write(
                dir.resolve("dynamic").resolve("dyn-req"),
                Map.of("pyproject.toml", """
                        [build-system]
                        requires = ["setuptools>=61"]
                        build-backend = "setuptools.build_meta"
                        """, "setup.py", """
                        from setuptools import setup
                        setup(name="dyn-req", version="1.0.0", packages=["dyn_req"], setup_requires=["six"])
                        """, "dyn_req/__init__.py", "VERSION = '1.0.0'\n"));

        builds().submit(SourceProjects.request("dyn-req", "1.0.0", "v1.0.0", project));
        BuildRecord built = builds().await("dyn-req", "1.0.0", BUILD_WAIT).orElseThrow();

        String log = new String(
                server.get(apiBuilds("dyn-req").get(0).get("log_url").asText()).body(), StandardCharsets.UTF_8);
        assertThat(built.status()).as(log).isEqualTo(Status.SUCCEEDED);
        assertThat(log)
                .contains("Unmet dependencies") // the plain environment's build, refused by pypa/build
                .contains("the backend also needs [six] (get_requires_for_build_*)")
                .contains("Successfully built dyn_req-1.0.0.tar.gz and dyn_req-1.0.0-py3-none-any.whl");
        PythonTools.pipInstall(
                        PythonTools.pip23(),
                        server.indexUrl(),
                        dir.resolve("dyn-installed"),
                        List.of("dyn-req==1.0.0"),
                        PIP_ENV)
                .requireSuccess("pip install of a release built with setup_requires");
    }

    @Test
    void a_tag_whose_pyproject_says_another_version_fails_and_nothing_is_listed() throws Exception {
        Path project = SourceProjects.hatchling(dir.resolve("wrong"), "wrong-demo", "2.0.0");

        builds().submit(SourceProjects.request("wrong-demo", "1.0.0", "v1.0.0", project));
        BuildRecord failed = builds().await("wrong-demo", "1.0.0", BUILD_WAIT).orElseThrow();

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.reason()).contains("built version 2.0.0 differs from tag v1.0.0's version 1.0.0");
        JsonNode listed = apiBuilds("wrong-demo").get(0);
        assertThat(listed.get("status").asText()).isEqualTo("failed");
        assertThat(listed.get("reason").asText())
                .isEqualTo("built version 2.0.0 differs from tag v1.0.0's version 1.0.0");
        assertThat(listed.get("duration_ms").asLong()).isPositive();
        HttpResponse<byte[]> log = server.get(listed.get("log_url").asText());
        assertThat(log.statusCode()).isEqualTo(200);
        assertThat(log.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(new String(log.body(), StandardCharsets.UTF_8))
                .contains("Successfully built wrong_demo-2.0.0.tar.gz")
                .contains("FAILED: built version 2.0.0 differs from tag v1.0.0's version 1.0.0");
        assertThat(server.running().store().catalog().files(ProjectName.parse("wrong-demo")))
                .isEmpty();
        assertThat(server.get("/simple/wrong-demo/").statusCode()).isEqualTo(404);
        PythonTools.Run pip = PythonTools.pipInstall(
                PythonTools.pip23(),
                server.indexUrl(),
                dir.resolve("wrong-installed"),
                List.of("wrong-demo==1.0.0"),
                PIP_ENV);
        assertThat(pip.exitCode()).isNotZero();
        assertThat(pip.output()).contains("No matching distribution found for wrong-demo==1.0.0");
    }

    @Test
    void the_second_build_with_the_same_requirements_reuses_the_environment() throws Exception {
        Path projects = dir.resolve("reuse");
        // a requirement set of this test alone, so the first build here is the cold one
        Path first = SourceProjects.write(
                SourceProjects.hatchling(projects, "reuse-one", "1.0.0"),
                Map.of("pyproject.toml", pyproject("reuse-one", "hatchling>=1.0")));
        Path second = SourceProjects.write(
                SourceProjects.hatchling(projects, "reuse-two", "1.0.0"),
                Map.of("pyproject.toml", pyproject("reuse-two", "hatchling>=1.0")));

        builds().submit(SourceProjects.request("reuse-one", "1.0.0", "v1.0.0", first));
        assertSucceeded("reuse-one", "1.0.0");
        Path ready = environmentMarker();
        FileTime created = Files.getLastModifiedTime(ready);
        builds().submit(SourceProjects.request("reuse-two", "1.0.0", "v1.0.0", second));
        assertSucceeded("reuse-two", "1.0.0");

        String coldLog = Files.readString(builds().log("reuse-one", "1.0.0"));
        String warmLog = Files.readString(builds().log("reuse-two", "1.0.0"));
        assertThat(coldLog).contains("creating build environment").contains("Successfully installed");
        assertThat(warmLog)
                .contains("reusing build environment")
                .doesNotContain("creating build environment")
                .doesNotContain("Successfully installed");
        assertThat(Files.getLastModifiedTime(ready)).isEqualTo(created);
    }

    @Test
    void a_build_sees_only_its_clean_environment_and_with_bubblewrap_neither_the_data_dir_nor_the_network()
            throws Exception {
        Path data = server.running().dataDir();
        Path project = SourceProjects.write(
                dir.resolve("spy").resolve("spy-demo"),
                Map.of(
                        "pyproject.toml", """
                        [build-system]
                        requires = ["setuptools>=61"]
                        build-backend = "setuptools.build_meta"

                        [project]
                        name = "spy-demo"
                        version = "1.0.0"

                        [tool.setuptools]
                        packages = ["spy_demo"]
                        """,
                        "setup.py",
                                """
                        import json, os, socket
                        from setuptools import setup
                        try:
                            socket.create_connection(("127.0.0.1", %d), 2).close()
                            network = True
                        except OSError:
                            network = False
                        info = {"env": sorted(os.environ), "data_dir_visible": os.path.exists(%s), "network": network}
                        with open(os.path.join("spy_demo", "spy.py"), "w") as f:
                            f.write("INFO = " + repr(json.dumps(info)) + "\\n")
                        setup()
                        """.formatted(
                                        server.port(),
                                        pyString(data.resolve("wheelwright.db").toString())),
                        "spy_demo/__init__.py", "VERSION = \"1.0.0\"\n"));

        builds().submit(SourceProjects.request("spy-demo", "1.0.0", "v1.0.0", project));
        assertSucceeded("spy-demo", "1.0.0");
        Path target = dir.resolve("spy-installed");
        PythonTools.pipInstall(PythonTools.pip23(), server.indexUrl(), target, List.of("spy-demo==1.0.0"), PIP_ENV)
                .requireSuccess("pip install spy-demo");
        JsonNode info = JSON.readTree(python(target, "import spy_demo.spy; print(spy_demo.spy.INFO)"));

        Set<String> env = new TreeSet<>();
        info.get("env").forEach(n -> env.add(n.asText()));
        env.removeIf(name -> name.startsWith("PEP517_") || name.startsWith("_PYPROJECT_HOOKS")); // set by pypa/build
        assertThat(env)
                .isSubsetOf(
                        "PATH",
                        "HOME",
                        "TMPDIR",
                        "LANG",
                        "SETUPTOOLS_SCM_PRETEND_VERSION",
                        "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_SPY_DEMO",
                        "SOURCE_DATE_EPOCH",
                        "PIP_CONFIG_FILE",
                        "PIP_INDEX_URL",
                        "PIP_NO_INPUT",
                        "PWD"); // PWD: set by bubblewrap for the working directory
        assertThat(env).contains("SOURCE_DATE_EPOCH"); // #9: reproducible builds
        boolean sandboxed = PythonWheelBuilder.findBubblewrap().isPresent();
        assertThat(info.get("data_dir_visible").asBoolean()).isEqualTo(!sandboxed);
        assertThat(info.get("network").asBoolean()).isEqualTo(!sandboxed);
    }

    @Test
    void the_builds_api_lists_builds_and_retry_needs_an_admin_token() throws Exception {
        Path project = SourceProjects.hatchling(dir.resolve("api"), "api-demo", "1.0.0");
        builds().submit(SourceProjects.request("api-demo", "1.0.0", "v1.0.0", project));
        assertSucceeded("api-demo", "1.0.0");
        builds().submit(SourceProjects.request("api-demo", "0.9.0", "v0.9.0", project)); // pyproject says 1.0.0
        assertThat(builds().await("api-demo", "0.9.0", BUILD_WAIT).orElseThrow().status())
                .isEqualTo(Status.FAILED);
        String admin = server.token("api-admin", Scope.ADMIN);
        String reader = server.token("api-reader", Scope.READ);

        JsonNode list = apiBuilds("api-demo");
        assertThat(list)
                .extracting(
                        n -> n.get("version").asText() + " " + n.get("status").asText())
                .containsExactly("1.0.0 succeeded", "0.9.0 failed");
        JsonNode ok = list.get(0);
        assertThat(ok.get("project").asText()).isEqualTo("api-demo");
        assertThat(ok.get("tag").asText()).isEqualTo("v1.0.0");
        assertThat(ok.get("commit").asText()).hasSize(40);
        assertThat(ok.get("reason").isNull()).isTrue();
        assertThat(ok.get("log_url").asText()).isEqualTo("/api/v1/builds/api-demo/1.0.0/log");
        assertThat(ok.get("queued_at").asText()).isNotBlank();
        assertThat(ok.get("finished_at").asText()).isNotBlank();

        assertThat(post("/api/v1/builds/api-demo/0.9.0/retry", null).statusCode())
                .isEqualTo(401);
        assertThat(post("/api/v1/builds/api-demo/0.9.0/retry", reader).statusCode())
                .isEqualTo(403);
        HttpResponse<String> succeeded = post("/api/v1/builds/api-demo/1.0.0/retry", admin);
        assertThat(succeeded.statusCode()).isEqualTo(409);
        assertThat(succeeded.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(succeeded.body());
        assertThat(problem.get("status").asInt()).isEqualTo(409);
        assertThat(problem.get("detail").asText())
                .isEqualTo("The build of api-demo 1.0.0 succeeded; only failed builds are retried.");
        assertThat(post("/api/v1/builds/api-demo/5.0.0/retry", admin).statusCode())
                .isEqualTo(404);
        HttpResponse<String> retried = post("/api/v1/builds/api-demo/0.9.0/retry", admin);
        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(retried.body()).get("reason").isNull()).isTrue();
        assertThat(builds().await("api-demo", "0.9.0", BUILD_WAIT).orElseThrow().reason())
                .contains("built version 1.0.0 differs from tag v0.9.0's version 0.9.0");

        assertThat(server.get("/api/v1/builds").statusCode()).isEqualTo(400);
        assertThat(server.get("/api/v1/builds?project=-bad-").statusCode()).isEqualTo(400);
        assertThat(server.get("/api/v1/builds?project=nothing-here").body())
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("[]");
        assertThat(server.get("/api/v1/builds/nothing-here/1.0/log").statusCode())
                .isEqualTo(404);
    }

    @Test
    void a_restarted_server_does_not_rebuild_a_built_release_and_builds_one_left_unfinished() throws Exception {
        Path data = dir.resolve("restart-data");
        Path project = SourceProjects.hatchling(dir.resolve("restart"), "restart-demo", "1.0.0");
        String config = "build: {index-url: \"file:///opt/pypi/simple\"}\n";
        Path log;
        FileTime logged;
        try (TestServer first = TestServer.start(data, config)) {
            first.running().builds().submit(SourceProjects.request("restart-demo", "1.0.0", "v1.0.0", project));
            assertThat(first.running()
                            .builds()
                            .await("restart-demo", "1.0.0", BUILD_WAIT)
                            .orElseThrow()
                            .status())
                    .isEqualTo(Status.SUCCEEDED);
            log = first.running().builds().log("restart-demo", "1.0.0");
            logged = Files.getLastModifiedTime(log);
        }
        Instant before = Instant.parse("2026-01-01T00:00:00Z");
        try (JdbcStorage store = JdbcStorage.openSqlite(data.resolve("wheelwright.db"))) {
            store.builds()
                    .addBuild(new StoredBuild(
                            ProjectName.parse("restart-demo"),
                            Version.parse("2.0.0"),
                            "v2.0.0",
                            "d".repeat(40),
                            BuildStatus.RUNNING,
                            Optional.empty(),
                            before,
                            Optional.of(before),
                            Optional.empty(),
                            BuilderIdentity.UNKNOWN)); // as a killed server leaves it
        }

        try (TestServer second = TestServer.start(data, config)) {
            BuildService builds = second.running().builds();
            BuildRecord again = builds.submit(SourceProjects.request("restart-demo", "1.0.0", "v1.0.0", project));
            BuildRecord left =
                    builds.await("restart-demo", "2.0.0", Duration.ZERO).orElseThrow();
            Path v2 = SourceProjects.hatchling(dir.resolve("restart-2"), "restart-demo", "2.0.0");
            builds.submit(SourceProjects.request("restart-demo", "2.0.0", "v2.0.0", v2));
            BuildRecord rebuilt =
                    builds.await("restart-demo", "2.0.0", BUILD_WAIT).orElseThrow();

            assertThat(again.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(Files.getLastModifiedTime(log)).isEqualTo(logged);
            assertThat(left.status()).isEqualTo(Status.QUEUED);
            assertThat(rebuilt.status()).isEqualTo(Status.SUCCEEDED);
            assertThat(builds.builds("restart-demo"))
                    .extracting(BuildRecord::version)
                    .containsExactly("2.0.0", "1.0.0");
            PythonTools.pipInstall(
                            PythonTools.pip23(),
                            second.indexUrl(),
                            dir.resolve("restart-installed"),
                            List.of("restart-demo==2.0.0"),
                            PIP_ENV)
                    .requireSuccess("pip install restart-demo==2.0.0");
        }
    }

    // --- helpers

    private static BuildService builds() {
        return server.running().builds();
    }

    private static BuildRecord assertSucceeded(String project, String version) throws Exception {
        BuildRecord record = builds().await(project, version, BUILD_WAIT).orElseThrow();
        if (record.status() != Status.SUCCEEDED) {
            String log = Files.readString(builds().log(project, version));
            throw new AssertionError("build of " + project + " " + version + " is " + record.status() + ": "
                    + record.reason().orElse("") + "\n" + log);
        }
        return record;
    }

    private static JsonNode apiBuilds(String project) throws Exception {
        HttpResponse<byte[]> response = server.get("/api/v1/builds?project=" + project);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", TestServer.basic("__token__", token));
        }
        return server.send(b.build());
    }

    private static Path environmentMarker() throws Exception {
        Path envs = server.running().dataDir().resolve("build-envs");
        List<Path> marked = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(envs)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Path req = d.resolve("requirements.txt");
                if (Files.exists(req) && Files.readString(req).strip().equals("hatchling>=1.0")) {
                    marked.add(d.resolve(".ready"));
                }
            }
        }
        assertThat(marked).hasSize(1);
        return marked.get(0);
    }

    private static String pyproject(String name, String requirement) {
        return """
                [build-system]
                requires = ["%s"]
                build-backend = "hatchling.build"

                [project]
                name = "%s"
                version = "1.0.0"
                """.formatted(requirement, name);
    }

    private static String pyString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String python(Path target, String code) throws Exception {
        return PythonTools.run(List.of("python3", "-c", code), Map.of("PYTHONPATH", target.toString()), 60)
                .requireSuccess("python3 -c")
                .output();
    }
}

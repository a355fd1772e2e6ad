package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.testing.GitFixture;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #3 end to end: real git repositories, the real build service (PEP 517 builds, requirements from the local
 * wheel mirror), real pip. Tags are pushed while the server runs; the first pip command finds them.
 */
class GitReleasesIT {
    private static final Map<String, String> PIP_ENV = Map.of("PIP_DEFAULT_TIMEOUT", "15");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void one_cold_pip_install_right_after_tagging_installs_every_backend_and_a_monorepo() throws Exception {
        GitFixture hatch = GitFixture.over(SourceProjects.hatchling(dir.resolve("repos"), "hatch-git", "1.0.0"));
        GitFixture setup = GitFixture.over(SourceProjects.setuptools(dir.resolve("repos"), "setup-git", "3.0"));
        GitFixture poetry = GitFixture.over(SourceProjects.poetry(dir.resolve("repos"), "poetry-git", "0.5.0"));
        GitFixture scm = GitFixture.over(SourceProjects.setuptoolsScm(dir.resolve("repos"), "scm-git"));
        Path monoDir = dir.resolve("repos/mono");
        SourceProjects.hatchling(monoDir.resolve("libs"), "alpha-git", "1.0");
        SourceProjects.flit(monoDir.resolve("libs"), "beta-git", "2.0");
        GitFixture mono = GitFixture.over(monoDir);
        // build requirements come from this server's own /simple/, which proxies the machine's wheel mirror; a page
        // request waits up to 14 s for the builds it queued (pip, with PIP_DEFAULT_TIMEOUT=15, waits 15 s): five
        // cold build environments on two workers need more than the default 10 s on a busy 2-core machine
        String config = "upstreams: [{name: mirror, url: \"file:///opt/pypi/simple/\"}]\nbuild: {workers: 2}\n"
                + "git:\n  poll-interval: 0s\n  listing-wait: 14s\n  projects:\n"
                + "    - { name: hatch-git, url: \"" + hatch.url() + "\" }\n"
                + "    - { name: setup-git, url: \"" + setup.url() + "\" }\n"
                + "    - { name: poetry-git, url: \"" + poetry.url() + "\" }\n"
                + "    - { name: scm-git, url: \"" + scm.url() + "\" }\n"
                + "    - { name: alpha-git, url: \"" + mono.url() + "\", subdirectory: libs/alpha-git }\n"
                + "    - { name: beta-git, url: \"" + mono.url() + "\", subdirectory: libs/beta-git,"
                + " tag-pattern: '^beta-git/v(?<version>.+)$' }\n";
        try (TestServer server = TestServer.start(dir.resolve("data"), config)) {
            hatch.tag("v1.0.0");
            setup.tag("v3.0");
            poetry.tag("v0.5.0");
            scm.tag("v2.3.4");
            mono.tag("alpha-git/v1.0");
            mono.tag("beta-git/v2.0");
            Path target = dir.resolve("installed");

            PythonTools.pipInstall(
                            PythonTools.pip23(),
                            server.indexUrl(),
                            target,
                            List.of(
                                    "hatch-git==1.0.0",
                                    "setup-git==3.0",
                                    "poetry-git==0.5.0",
                                    "scm-git==2.3.4",
                                    "alpha-git==1.0",
                                    "beta-git==2.0"),
                            PIP_ENV)
                    .requireSuccess("one cold pip install of six git-backed projects");

            String imported = PythonTools.run(
                            List.of("python3", "-c", """
                    import hatch_git, setup_git, poetry_git, scm_git, alpha_git, beta_git
                    for m in (hatch_git, setup_git, poetry_git, scm_git, alpha_git, beta_git):
                        print(m.__name__, m.VERSION, m.BACKEND)
                    """), Map.of("PYTHONPATH", target.toString()), 60)
                    .requireSuccess("import")
                    .output();
            assertThat(imported.lines())
                    .containsExactly(
                            "hatch_git 1.0.0 hatchling",
                            "setup_git 3.0 setuptools",
                            "poetry_git 0.5.0 poetry-core",
                            "scm_git 2.3.4 setuptools-scm",
                            "alpha_git 1.0 hatchling",
                            "beta_git 2.0 flit_core");
            JsonNode tags =
                    JSON.readTree(server.get("/api/v1/projects/alpha-git/tags").body());
            assertThat(tags.get("tags").get(0).get("state").asText()).isEqualTo("succeeded");

            // #3: with the remote deleted, already built releases still install
            hatch.delete();
            PythonTools.pipInstall(
                            PythonTools.pip23(),
                            server.indexUrl(),
                            dir.resolve("again"),
                            List.of("hatch-git==1.0.0"),
                            PIP_ENV)
                    .requireSuccess("pip install after the remote is gone");
            assertThat(Files.readString(dir.resolve("again/hatch_git/__init__.py")))
                    .contains("1.0.0");
        }
    }

    @Test
    void six_concurrent_pip_downloads_right_after_a_tag_push_all_succeed_with_one_build() throws Exception {
        Path repo = SourceProjects.hatchling(dir.resolve("repos"), "burst-git", "1.0.0");
        GitFixture git = GitFixture.over(repo);
        git.tag("v1.0.0");
        String config = "build: {index-url: \"file:///opt/pypi/simple\"}\n"
                + "git:\n  poll-interval: 0s\n  projects:\n"
                + "    - { name: burst-git, url: \"" + git.url() + "\" }\n";
        try (TestServer server = TestServer.start(dir.resolve("data"), config)) {
            // the tag seen by the fetch at startup is built in the background; no page request is made before the push
            Instant deadline = Instant.now().plusSeconds(120);
            while (!buildStates(server).contains("1.0.0 succeeded")) {
                assertThat(Instant.now()).as("build of 1.0.0 at startup").isBefore(deadline);
                Thread.sleep(100);
            }
            SourceProjects.hatchling(dir.resolve("repos"), "burst-git", "1.1.0");
            git.commit("release 1.1.0");
            git.tag("v1.1.0");

            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<PythonTools.Run>> runs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    Path target = dir.resolve("download-" + i);
                    runs.add(pool.submit(() -> PythonTools.run(
                            List.of(
                                    "python3",
                                    "-m",
                                    "pip",
                                    "download",
                                    "--no-deps",
                                    "--no-cache-dir",
                                    "--index-url",
                                    server.indexUrl(),
                                    "-d",
                                    target.toString(),
                                    "burst-git==1.1.0"),
                            PIP_ENV,
                            120)));
                }
                for (Future<PythonTools.Run> run : runs) {
                    run.get().requireSuccess("concurrent pip download of a release tagged a moment ago");
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(buildStates(server)).containsExactlyInAnyOrder("1.1.0 succeeded", "1.0.0 succeeded");
        }
    }

    private static List<String> buildStates(TestServer server) throws Exception {
        List<String> states = new ArrayList<>();
        JSON.readTree(server.get("/api/v1/builds?project=burst-git").body())
                .forEach(b -> states.add(
                        b.get("version").asText() + " " + b.get("status").asText()));
        return states;
    }

    @Test
    void a_tag_whose_pyproject_says_another_version_is_a_failed_build_named_in_the_tags_api() throws Exception {
        GitFixture wrong = GitFixture.over(SourceProjects.hatchling(dir.resolve("repos"), "wrong-git", "1.0.0"));
        wrong.tag("v1.5.0");
        String config = "build: {index-url: \"file:///opt/pypi/simple\"}\n"
                + "git:\n  poll-interval: 0s\n  listing-wait: 14s\n  projects:\n"
                + "    - { name: wrong-git, url: \"" + wrong.url() + "\" }\n";
        try (TestServer server = TestServer.start(dir.resolve("data"), config)) {
            PythonTools.Run pip = PythonTools.pipInstall(
                    PythonTools.pip23(), server.indexUrl(), dir.resolve("none"), List.of("wrong-git==1.5.0"), PIP_ENV);

            assertThat(pip.exitCode()).isNotZero();
            assertThat(pip.output()).doesNotContain("Traceback");
            JsonNode tag = JSON.readTree(
                            server.get("/api/v1/projects/wrong-git/tags").body())
                    .get("tags")
                    .get(0);
            assertThat(tag.get("state").asText()).isEqualTo("failed");
            assertThat(tag.get("build").get("reason").asText())
                    .contains("1.5.0")
                    .contains("1.0.0");
        }
    }
}

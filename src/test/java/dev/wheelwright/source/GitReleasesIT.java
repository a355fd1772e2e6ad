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
import java.util.List;
import java.util.Map;
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
    void one_cold_pip_install_right_after_tagging_installs_plain_scm_and_monorepo_projects() throws Exception {
        GitFixture hatch = GitFixture.over(SourceProjects.hatchling(dir.resolve("repos"), "hatch-git", "1.0.0"));
        GitFixture scm = GitFixture.over(SourceProjects.setuptoolsScm(dir.resolve("repos"), "scm-git"));
        Path monoDir = dir.resolve("repos/mono");
        SourceProjects.hatchling(monoDir.resolve("libs"), "alpha-git", "1.0");
        SourceProjects.flit(monoDir.resolve("libs"), "beta-git", "2.0");
        GitFixture mono = GitFixture.over(monoDir);
        String config = "build: {index-url: \"file:///opt/pypi/simple\", workers: 2}\n"
                + "git:\n  poll-interval: 0s\n  projects:\n"
                + "    - { name: hatch-git, url: \"" + hatch.url() + "\" }\n"
                + "    - { name: scm-git, url: \"" + scm.url() + "\" }\n"
                + "    - { name: alpha-git, url: \"" + mono.url() + "\", subdirectory: libs/alpha-git }\n"
                + "    - { name: beta-git, url: \"" + mono.url() + "\", subdirectory: libs/beta-git,"
                + " tag-pattern: '^beta-git/v(?<version>.+)$' }\n";
        try (TestServer server = TestServer.start(dir.resolve("data"), config)) {
            hatch.tag("v1.0.0");
            scm.tag("v2.3.4");
            mono.tag("alpha-git/v1.0");
            mono.tag("beta-git/v2.0");
            Path target = dir.resolve("installed");

            PythonTools.pipInstall(PythonTools.pip23(), server.indexUrl(), target,
                    List.of("hatch-git==1.0.0", "scm-git==2.3.4", "alpha-git==1.0", "beta-git==2.0"), PIP_ENV)
                    .requireSuccess("one cold pip install of four git-backed projects");

            String imported = PythonTools.run(List.of("python3", "-c", """
                    import hatch_git, scm_git, alpha_git, beta_git
                    for m in (hatch_git, scm_git, alpha_git, beta_git):
                        print(m.__name__, m.VERSION, m.BACKEND)
                    """), Map.of("PYTHONPATH", target.toString()), 60).requireSuccess("import").output();
            assertThat(imported.lines()).containsExactly(
                    "hatch_git 1.0.0 hatchling",
                    "scm_git 2.3.4 setuptools-scm",
                    "alpha_git 1.0 hatchling",
                    "beta_git 2.0 flit_core");
            JsonNode tags = JSON.readTree(server.get("/api/v1/projects/alpha-git/tags").body());
            assertThat(tags.get("tags").get(0).get("state").asText()).isEqualTo("succeeded");

            // #3: with the remote deleted, already built releases still install
            hatch.delete();
            PythonTools.pipInstall(PythonTools.pip23(), server.indexUrl(), dir.resolve("again"), List.of("hatch-git==1.0.0"), PIP_ENV)
                    .requireSuccess("pip install after the remote is gone");
            assertThat(Files.readString(dir.resolve("again/hatch_git/__init__.py"))).contains("1.0.0");
        }
    }

    @Test
    void a_tag_whose_pyproject_says_another_version_is_a_failed_build_named_in_the_tags_api() throws Exception {
        GitFixture wrong = GitFixture.over(SourceProjects.hatchling(dir.resolve("repos"), "wrong-git", "1.0.0"));
        wrong.tag("v1.5.0");
        String config = "build: {index-url: \"file:///opt/pypi/simple\"}\n"
                + "git:\n  poll-interval: 0s\n  listing-wait: 14s\n  projects:\n"
                + "    - { name: wrong-git, url: \"" + wrong.url() + "\" }\n";
        try (TestServer server = TestServer.start(dir.resolve("data"), config)) {
            PythonTools.Run pip = PythonTools.pipInstall(PythonTools.pip23(), server.indexUrl(), dir.resolve("none"),
                    List.of("wrong-git==1.5.0"), PIP_ENV);

            assertThat(pip.exitCode()).isNotZero();
            assertThat(pip.output()).doesNotContain("Traceback");
            JsonNode tag = JSON.readTree(server.get("/api/v1/projects/wrong-git/tags").body()).get("tags").get(0);
            assertThat(tag.get("state").asText()).isEqualTo("failed");
            assertThat(tag.get("build").get("reason").asText()).contains("1.5.0").contains("1.0.0");
        }
    }
}

package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.testing.GitFixture;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9, dev releases from a branch: a real git repository, real builds (setuptools-scm, requirements from the
 * machine's wheel mirror), real pip. No webhook: each pip command's page request finds the moved branch.
 */
class DevReleasesIT {
    private static final Map<String, String> PIP_ENV = Map.of("PIP_DEFAULT_TIMEOUT", "15");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_PAGE = "application/vnd.pypi.simple.v1+json";

    @TempDir
    Path dir;

    @Test
    void the_branch_head_is_a_dev_release_for_pre_and_pins_and_old_ones_are_pruned() throws Exception {
        GitFixture git = GitFixture.over(SourceProjects.setuptoolsScm(dir.resolve("repos"), "scm-dev"));
        git.tag("v1.0.0");
        git.commit("two");
        String head = git.commit("three");
        String config = "build: {index-url: \"file:///opt/pypi/simple\"}\n"
                + "git:\n  poll-interval: 0s\n  listing-wait: 14s\n  projects:\n"
                + "    - { name: scm-dev, url: \"" + git.url() + "\", dev-branch: main, dev-keep: 2 }\n";
        try (TestServer server = TestServer.start(dir.resolve("data"), config)) {
            String dev2 = "1.0.1.dev2+g" + head.substring(0, 7);

            assertThat(installed(server, "pre-1", "--pre", "scm-dev")).isEqualTo(dev2);
            assertThat(installed(server, "plain-1", "scm-dev")).isEqualTo("1.0.0");
            assertThat(installed(server, "pinned-1", "scm-dev==" + dev2)).isEqualTo(dev2);

            // two more pushes: with dev-keep 2, dev2 is pruned (yanked: no longer chosen, still installable pinned)
            String dev3 = "1.0.1.dev3+g" + git.commit("four").substring(0, 7);
            assertThat(installed(server, "pre-2", "--pre", "scm-dev")).isEqualTo(dev3);
            String dev4 = "1.0.1.dev4+g" + git.commit("five").substring(0, 7);
            assertThat(installed(server, "pre-3", "--pre", "scm-dev")).isEqualTo(dev4);

            JsonNode page = JSON.readTree(
                    server.get("/simple/scm-dev/", "Accept", JSON_PAGE).body());
            assertThat(page.get("versions")).extracting(JsonNode::asText).containsExactly("1.0.0", dev2, dev3, dev4);
            List<String> yanked = new ArrayList<>();
            for (JsonNode f : page.get("files")) {
                if (!f.path("yanked").isMissingNode()
                        && !f.get("yanked").asText().equals("false")) {
                    yanked.add(f.get("filename").asText());
                }
            }
            assertThat(yanked).hasSize(2).allMatch(f -> f.contains("1.0.1.dev2"));
            assertThat(installed(server, "plain-2", "scm-dev")).isEqualTo("1.0.0");
            assertThat(installed(server, "pinned-2", "scm-dev==" + dev2)).isEqualTo(dev2);

            // a tag on the head: no dev release of it, and the next commit counts from the new tag
            git.tag("v1.1.0");
            assertThat(installed(server, "plain-3", "scm-dev")).isEqualTo("1.1.0");
            String next = "1.1.1.dev1+g" + git.commit("six").substring(0, 7);
            assertThat(installed(server, "pre-4", "--pre", "scm-dev")).isEqualTo(next);
        }
    }

    /** Installs with pip into a fresh directory and returns the version the installed module reports. */
    private String installed(TestServer server, String name, String... args) throws Exception {
        Path target = dir.resolve(name);
        PythonTools.pipInstall(PythonTools.pip23(), server.indexUrl(), target, List.of(args), PIP_ENV)
                .requireSuccess("pip install " + String.join(" ", args));
        return PythonTools.run(
                        List.of("python3", "-c", "import scm_dev; print(scm_dev.VERSION)"),
                        Map.of("PYTHONPATH", target.toString()),
                        60)
                .requireSuccess("import scm_dev")
                .output()
                .strip();
    }
}

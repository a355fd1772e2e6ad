package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.testing.GitFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} reaches the remotes of {@code git.projects} and says which it cannot reach. */
class GitCheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void reports_each_git_remote_and_fails_when_one_is_unreachable() throws Exception {
        try (GitFixture origin = GitFixture.create(dir.resolve("demo"), "demo")) {
            Path config = dir.resolve("wheelwright.yaml");
            Files.writeString(
                    config,
                    "storage: {data-dir: \"" + dir.resolve("data") + "\"}\n"
                            + "git:\n  projects:\n"
                            + "    - { name: demo, url: \"" + origin.url() + "\" }\n"
                            + "    - { name: gone, url: \""
                            + dir.resolve("gone").toUri() + "\" }\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            int code = new Wheelwright(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of())
                    .run(new String[] {"--config", config.toString(), "check"});

            String text = out.toString(StandardCharsets.UTF_8);
            assertThat(code).isEqualTo(1);
            assertThat(text)
                    .contains("git demo: " + origin.url() + " reachable")
                    .contains("git gone: ")
                    .contains("NOT reachable");
        }
    }
}

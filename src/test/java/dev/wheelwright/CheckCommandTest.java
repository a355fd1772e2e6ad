package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.testing.GitFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void check_reports_each_upstream_and_fails_when_one_is_unreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(
                config,
                "storage: {data-dir: \"" + dir.resolve("data") + "\"}\n"
                        + "upstreams:\n"
                        + "  - {name: tree, url: \"file:///opt/pypi/simple/\"}\n"
                        + "  - {name: gone, url: \"http://127.0.0.1:" + closedPort
                        + "/simple/\", connect-timeout: 2s}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = new Wheelwright(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of())
                .run(new String[] {"--config", config.toString(), "check"});

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("upstream tree ok")
                .contains("upstream gone unreachable: ")
                .contains("connection refused");
        assertThat(code).isEqualTo(1);
    }

    @Test
    void an_unreachable_remote_a_dead_upstream_and_a_missing_python_are_all_reported_at_once() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(
                config,
                "storage: {data-dir: \"" + dir.resolve("data") + "\"}\n"
                        + "upstreams:\n"
                        + "  - {name: deadpypi, url: \"http://127.0.0.1:" + closedPort
                        + "/simple/\", connect-timeout: 2s}\n"
                        + "git:\n  projects:\n"
                        + "    - { name: gone-lib, url: \""
                        + dir.resolve("gone").toUri() + "\" }\n"
                        + "build: {python: \"" + dir.resolve("no-such-python3") + "\"}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = new Wheelwright(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of())
                .run(new String[] {"--config", config.toString(), "check"});

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(printed)
                .contains("upstream deadpypi unreachable: ")
                .contains("git gone-lib: ")
                .contains("NOT reachable")
                .contains("build toolchain NOT usable: build.python '" + dir.resolve("no-such-python3")
                        + "' cannot be run")
                .contains("3 problem(s): upstream deadpypi, git gone-lib, build.python");
    }

    @Test
    void a_good_config_with_a_remote_an_upstream_and_python_exits_0() throws Exception {
        try (GitFixture origin = GitFixture.create(dir.resolve("demo"), "demo")) {
            Path config = dir.resolve("wheelwright.yaml");
            Files.writeString(
                    config,
                    "storage: {data-dir: \"" + dir.resolve("data") + "\"}\n"
                            + "upstreams:\n  - {name: tree, url: \"file:///opt/pypi/simple/\"}\n"
                            + "git:\n  projects:\n    - { name: demo, url: \"" + origin.url() + "\" }\n"
                            + "build: {python: python3}\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            int code = new Wheelwright(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of())
                    .run(new String[] {"--config", config.toString(), "check"});

            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed).isZero();
            assertThat(printed)
                    .contains("upstream tree ok")
                    .contains("git demo: " + origin.url() + " reachable")
                    .containsPattern("build toolchain ok: Python 3\\.[0-9]+\\.[0-9]+, venv and pip work")
                    .doesNotContain("problem");
        }
    }
}

package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

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
}

package dev.wheelwright.builds.pip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.builds.BuildFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits of a build subprocess, with python3 standing in for a backend. */
class BuildProcessTest {
    @TempDir
    Path dir;

    @Test
    void runs_with_exactly_the_given_environment_and_logs_its_output() throws Exception {
        Path log = dir.resolve("build.log");

        int exit = BuildProcess.run(
                python("import os; print(sorted(os.environ)); raise SystemExit(3)"),
                Map.of("PATH", System.getenv("PATH"), "ONLY_THIS", "1"),
                dir,
                log,
                1 << 20,
                Duration.ofSeconds(30),
                Optional.empty());

        assertThat(exit).isEqualTo(3);
        assertThat(Files.readString(log))
                .contains("'ONLY_THIS'")
                .doesNotContain("'HOME'")
                .doesNotContain("JAVA");
    }

    @Test
    void a_process_running_past_the_timeout_is_killed_and_fails_the_build() {
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> BuildProcess.run(
                        python("import time; time.sleep(60)"),
                        env(),
                        dir,
                        dir.resolve("build.log"),
                        1 << 20,
                        Duration.ofMillis(500),
                        Optional.empty()))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("The build timed out after 0.5 s.");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void output_beyond_the_log_budget_is_dropped_with_a_note() throws Exception {
        Path log = dir.resolve("build.log");

        int exit = BuildProcess.run(
                python("import sys\nfor i in range(20000): print('x' * 50)"),
                env(),
                dir,
                log,
                1000,
                Duration.ofSeconds(30),
                Optional.empty());

        assertThat(exit).isZero();
        String text = Files.readString(log);
        assertThat(text).contains("[output truncated: the log holds at most 1000 bytes of build output");
        assertThat(text.length()).isLessThan(1200);
    }

    @Test
    void a_process_writing_more_than_the_output_limit_is_killed_and_fails_the_build() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));

        assertThatThrownBy(() -> BuildProcess.run(
                        python("import time\nwith open('out/big.whl', 'wb') as f:\n    f.write(b'0' * 2000000)\n"
                                + "    f.flush()\n    time.sleep(60)"),
                        env(),
                        dir,
                        dir.resolve("build.log"),
                        1 << 20,
                        Duration.ofSeconds(30),
                        Optional.of(new BuildProcess.Watched(out, 1_000_000))))
                .isInstanceOf(BuildFailedException.class)
                .hasMessageContaining("more than 1000000 bytes");
    }

    private static List<String> python(String code) {
        return List.of("python3", "-c", code);
    }

    private static Map<String, String> env() {
        return Map.of("PATH", System.getenv("PATH"));
    }
}

package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.testing.JarProcess;
import dev.wheelwright.testing.PythonTools;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lib/cds-archive}, which {@code scripts/serve} runs before a start when the archive is missing or
 * older than the jar: its training server is configured by its own file, whatever {@code WHEELWRIGHT_*} overrides the
 * operator's shell exports for the real server.
 */
class CdsArchiveIT {
    @TempDir
    Path dir;

    @Test
    void the_training_run_ignores_the_operators_overrides_and_writes_the_archive() throws Exception {
        int operatorsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            operatorsPort = s.getLocalPort();
        }
        Path operatorsData = dir.resolve("operators-data");
        Path archive = dir.resolve("wheelwright.jsa");

        PythonTools.Run run = PythonTools.run(
                List.of(
                        "scripts/lib/cds-archive",
                        archive.toString(),
                        JarProcess.jar().toAbsolutePath().toString()),
                Map.of(
                        "WHEELWRIGHT_SERVER_PORT", Integer.toString(operatorsPort),
                        "WHEELWRIGHT_STORAGE_DATA_DIR", operatorsData.toString()),
                120);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(archive).isNotEmptyFile();
        assertThat(operatorsData)
                .as("the training run wrote nothing to the operator's data dir")
                .doesNotExist();
    }
}

package dev.wheelwright.builds.pip;

import dev.wheelwright.builds.BuildFailedException;
import dev.wheelwright.common.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the admin {@code check} asks of {@code build.python} before a build ever needs it: it runs, its {@code venv}
 * creates an environment (as every build environment is made), and its {@code pip} answers (it installs the build
 * requirements into those environments).
 */
public final class Toolchain {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private Toolchain() {}

    /**
     * Tries the toolchain in a scratch directory under {@code scratchRoot} (removed afterwards) and returns a summary
     * such as {@code Python 3.11.2, venv and pip work}; a problem is a {@link BuildFailedException} naming it.
     */
    public static String check(String python, Path scratchRoot) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory(Files.createDirectories(scratchRoot), "toolchain-");
        } catch (IOException e) {
            throw new BuildFailedException("cannot make a scratch directory to try build.python: " + e.getMessage(), e);
        }
        try {
            String version = run(List.of(python, "--version"), scratch, "build.python '" + python + "' cannot be run");
            run(
                    List.of(
                            python,
                            "-m",
                            "venv",
                            "--without-pip",
                            scratch.resolve("env").toString()),
                    scratch,
                    "build.python '" + python + "' cannot create a virtual environment (python3-venv missing?)");
            if (!Files.isExecutable(scratch.resolve("env/bin/python"))) {
                throw new BuildFailedException(
                        "build.python '" + python + "' made a virtual environment without bin/python");
            }
            run(
                    List.of(python, "-m", "pip", "--version"),
                    scratch,
                    "build.python '" + python + "' has no pip to install build requirements (python3-pip missing?)");
            return version + ", venv and pip work";
        } finally {
            try {
                FileTrees.delete(scratch);
            } catch (IOException e) {
                // a scratch directory under the data dir's tmp: the next start removes it
            }
        }
    }

    /** Runs {@code argv} with an empty environment but PATH; returns its first output line. */
    private static String run(List<String> argv, Path workDir, String problem) {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", workDir.toString());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BuildFailedException(problem + ": no answer in " + STEP_TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new BuildFailedException(problem + ": " + lastLine(out));
            }
            return lastLine(out);
        } catch (IOException e) {
            throw new BuildFailedException(problem + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailedException(problem + ": interrupted");
        }
    }

    private static String lastLine(String out) {
        String line = out.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("(no output)");
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}

package dev.wheelwright.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real Python clients as subprocesses: pip 23 (the machine's {@code python3}), pip 26 (a venv made once per run
 * from the machine's local wheel mirror) and Debian's twine 4.0.2. Each runs with an argv list, a timeout and a
 * clean environment ({@code PIP_CONFIG_FILE=/dev/null}, no proxies), so only our index is consulted. A missing
 * client fails the test; it never skips.
 */
public final class PythonTools {
    /** The machine's local wheel mirror (see the machine notes); pip 26 is installed from it. */
    public static final Path WHEEL_MIRROR = Path.of("/opt/pypi/files");

    /** The wheels of requests and its dependencies in the mirror: what the real-client tests upload and install. */
    public static final List<String> REQUESTS_AND_DEPENDENCIES = List.of(
            "requests-2.34.2-py3-none-any.whl",
            "urllib3-2.8.0-py3-none-any.whl",
            "idna-3.20-py3-none-any.whl",
            "certifi-2026.7.22-py3-none-any.whl",
            "charset_normalizer-3.5.2-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl");

    private static Path pip26Venv;

    private PythonTools() {}

    /** What a finished command printed. */
    public record Run(int exitCode, String output) {
        public Run requireSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    /** {@code python3 -m pip} of the machine: pip 23. */
    public static List<String> pip23() {
        return List.of("python3", "-m", "pip");
    }

    /** pip 26 in a venv under target/, created on first use from the local wheel mirror. */
    public static synchronized List<String> pip26() throws IOException, InterruptedException {
        if (pip26Venv == null) {
            Path venv = Path.of("target", "pip26-venv").toAbsolutePath();
            Path pip = venv.resolve("bin/pip");
            if (!Files.exists(pip)
                    || !run(List.of(pip.toString(), "--version"), Map.of(), 60)
                            .output()
                            .contains("pip 26")) {
                run(List.of("python3", "-m", "venv", "--clear", venv.toString()), Map.of(), 120)
                        .requireSuccess("venv");
                run(
                                List.of(
                                        pip.toString(),
                                        "install",
                                        "--no-index",
                                        "--find-links",
                                        WHEEL_MIRROR.toString(),
                                        "pip>=26,<27"),
                                Map.of(),
                                300)
                        .requireSuccess("installing pip 26 from the local mirror");
            }
            pip26Venv = venv;
        }
        return List.of(pip26Venv.resolve("bin/python").toString(), "-m", "pip");
    }

    /** Runs {@code pip install --target DIR} of {@code requirements} from our index alone. */
    public static Run pipInstall(
            List<String> pip, String indexUrl, Path target, List<String> requirements, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(pip);
        argv.addAll(List.of(
                "install",
                "--index-url",
                indexUrl,
                "--no-cache-dir",
                "--disable-pip-version-check",
                "--target",
                target.toString()));
        argv.addAll(requirements);
        return run(argv, env, 300);
    }

    /** Debian's twine. */
    public static Run twineUpload(String repositoryUrl, String token, List<Path> files)
            throws IOException, InterruptedException {
        return twineUpload(repositoryUrl, token, List.of(), files);
    }

    /** Debian's twine, with more options (e.g. {@code --skip-existing}) before the files. */
    public static Run twineUpload(String repositoryUrl, String token, List<String> options, List<Path> files)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(
                "/usr/bin/twine",
                "upload",
                "--non-interactive",
                "--disable-progress-bar",
                "--repository-url",
                repositoryUrl,
                "-u",
                "__token__",
                "-p",
                token));
        argv.addAll(options);
        files.forEach(f -> argv.add(f.toString()));
        return run(argv, Map.of(), 120);
    }

    /** Runs a command with a clean environment plus {@code extraEnv}, merging stderr into the output. */
    public static Run run(List<String> argv, Map<String, String> extraEnv, int timeoutSeconds)
            throws IOException, InterruptedException {
        return run(argv, Path.of("").toAbsolutePath(), extraEnv, timeoutSeconds);
    }

    /** Like {@link #run(List, Map, int)} in {@code workDir} (poetry and pdm act on the project they run in). */
    public static Run run(List<String> argv, Path workDir, Map<String, String> extraEnv, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        Map<String, String> keep = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG", "PYENV_ROOT", "PYENV_VERSION", "TMPDIR")) {
            if (env.containsKey(name)) {
                keep.put(name, env.get(name));
            }
        }
        env.clear();
        env.putAll(keep);
        env.put("PIP_CONFIG_FILE", "/dev/null");
        env.put("PIP_DEFAULT_TIMEOUT", "15");
        env.put("PIP_NO_INPUT", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.putAll(extraEnv);
        Path log = Files.createTempFile("wheelwright-client-", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            throw new AssertionError(String.join(" ", argv) + " timed out after " + timeoutSeconds + " s:\n" + out);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Run(p.exitValue(), out);
    }
}

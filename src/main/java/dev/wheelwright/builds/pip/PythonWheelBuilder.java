package dev.wheelwright.builds.pip;

import dev.wheelwright.builds.BuildFailedException;
import dev.wheelwright.builds.WheelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds with pypa/build in a reused environment: {@code <env>/bin/python -m build --no-isolation --sdist --wheel}
 * over the exported tree, where the environment holds exactly {@code build} plus the tree's
 * {@code build-system.requires} (installed by pip from the build index, once per requirement set; see
 * {@link BuildEnvironments}). That is PEP 517 isolation with the environment cached instead of remade per build.
 *
 * <p>Every subprocess gets only this environment: {@code PATH} (the venv first), {@code HOME} and {@code TMPDIR} in
 * the build's scratch directory, {@code LANG=C.UTF-8}, {@code SETUPTOOLS_SCM_PRETEND_VERSION} and its per-project
 * variant, {@code PIP_CONFIG_FILE=/dev/null}, {@code PIP_INDEX_URL}, {@code PIP_NO_INPUT=1} — no tokens, no git
 * credentials, nothing else of the server's environment. With bubblewrap ({@code bwrap}) each subprocess also runs
 * in a sandbox: the root file system read-only, the data directory hidden except the build's own directories
 * (writable) and its environment (read-only, writable while being created), fresh {@code /tmp}, {@code /dev} and
 * {@code /proc}, new user, PID, IPC and UTS namespaces, and no network at all for the build itself (the environment
 * creation keeps the network, to reach the index). Thread-safe.
 */
public final class PythonWheelBuilder implements WheelBuilder {
    private final BuildEnvironments environments;
    private final Duration timeout;
    private final long maxOutputSize;
    private final long maxLogSize;
    private final Optional<Path> bubblewrap;
    private final List<Path> hidden;

    /**
     * @param python the interpreter that creates the environments (needs pip ≥ 22.3 for {@code pip --python})
     * @param envRoot where environments are kept ({@code <data-dir>/build-envs})
     * @param bubblewrap the {@code bwrap} executable to sandbox with, if any
     * @param hidden directories a sandboxed build must not see (the data directory); the build's own directories
     *     and environment inside them stay visible
     */
    public PythonWheelBuilder(
            String python,
            Path envRoot,
            Duration timeout,
            long maxOutputSize,
            long maxLogSize,
            Optional<Path> bubblewrap,
            List<Path> hidden) {
        this.environments = new BuildEnvironments(envRoot.toAbsolutePath().normalize(), Objects.requireNonNull(python));
        this.timeout = Objects.requireNonNull(timeout);
        this.maxOutputSize = maxOutputSize;
        this.maxLogSize = maxLogSize;
        this.bubblewrap = Objects.requireNonNull(bubblewrap);
        this.hidden = hidden.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** Finds {@code bwrap} on the server's PATH. */
    /**
     * The marker file inside a complete build environment (a directory of {@code <data-dir>/build-envs}); its
     * modification time is the environment's creation. An environment without it is half-made.
     */
    public static String environmentReadyMarker() {
        return BuildEnvironments.readyMarker();
    }

    /** The marker file whose modification time is a build environment's last reuse (absent: never reused). */
    public static String environmentUsedMarker() {
        return BuildEnvironments.usedMarker();
    }

    public static Optional<Path> findBubblewrap() {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "bwrap");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public List<Path> build(Job job) {
        Path source = job.source().toAbsolutePath().normalize();
        Path out = job.outDir().toAbsolutePath().normalize();
        Path work = job.workDir().toAbsolutePath().normalize();
        Path home = mkdirs(work.resolve("home"));
        Path tmp = mkdirs(work.resolve("tmp"));
        BuildSystem system = BuildSystem.read(source);
        append(
                job.log(),
                "build-system: requires " + system.requires() + ", backend " + system.backendName()
                        + (bubblewrap.isPresent() ? ", sandbox bubblewrap" : ", no sandbox") + "\n");
        String index = job.indexUrl();
        Map<String, String> env = environment(job, home, tmp, index);
        long t0 = System.nanoTime();
        Map<String, String> plain = new LinkedHashMap<>(env);
        plain.put("PATH", pathWith(Optional.empty()));
        String python = environments.python(plain, work);
        Path venv = environments.obtain(
                python,
                system.requires(),
                index,
                (argv, envDir) -> {
                    Map<String, String> stepEnv = new LinkedHashMap<>(env);
                    stepEnv.put("PATH", pathWith(Optional.empty()));
                    mkdirs(envDir); // bubblewrap binds existing directories only
                    return BuildProcess.run(
                            sandboxed(argv, true, List.of(envDir, home, tmp), List.of()),
                            stepEnv,
                            work,
                            job.log(),
                            budget(job.log()),
                            timeout,
                            Optional.empty());
                },
                text -> append(job.log(), text));
        append(job.log(), "build environment ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms\n");
        job.environmentReady()
                .accept(new Environment(
                        system.backendName(),
                        BuildEnvironments.backendVersion(venv, system.backendName()),
                        BuildEnvironments.pythonVersion(venv)));
        env.put("PATH", pathWith(Optional.of(venv.resolve("bin"))));
        List<String> argv = List.of(
                venv.resolve("bin/python").toString(),
                "-m",
                "build",
                "--no-isolation",
                "--sdist",
                "--wheel",
                "--outdir",
                out.toString(),
                source.toString());
        long t1 = System.nanoTime();
        int exit = BuildProcess.run(
                sandboxed(argv, false, List.of(source, out, home, tmp), List.of(venv)),
                env,
                source,
                job.log(),
                budget(job.log()),
                timeout,
                Optional.of(new BuildProcess.Watched(out, maxOutputSize)));
        append(
                job.log(),
                "python -m build exited with " + exit + " after " + (System.nanoTime() - t1) / 1_000_000 + " ms\n");
        if (exit != 0) {
            throw new BuildFailedException("The build backend " + system.backendName() + " failed (exit code " + exit
                    + "); the build log has its output.");
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new BuildFailedException("The build's output directory cannot be read.", e);
        }
    }

    /** The whole environment of a build subprocess (see the class comment). */
    private static Map<String, String> environment(Job job, Path home, Path tmp, String index) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("LANG", "C.UTF-8");
        String version = job.version().normalized();
        env.put("SETUPTOOLS_SCM_PRETEND_VERSION", version);
        env.put(
                "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_"
                        + job.project().normalized().toUpperCase(Locale.ROOT).replace('-', '_'),
                version);
        env.put("PIP_CONFIG_FILE", "/dev/null");
        env.put("PIP_INDEX_URL", index);
        env.put("PIP_NO_INPUT", "1");
        return env;
    }

    private static String pathWith(Optional<Path> first) {
        String system = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
        return first.map(p -> p + ":" + system).orElse(system);
    }

    /** The argv wrapped in bubblewrap when there is one: see the class comment for what the sandbox allows. */
    private List<String> sandboxed(List<String> argv, boolean network, List<Path> writable, List<Path> readOnly) {
        if (bubblewrap.isEmpty()) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(List.of(bubblewrap.get().toString(), "--ro-bind", "/", "/"));
        for (Path h : hidden) {
            wrapped.addAll(List.of("--tmpfs", h.toString()));
        }
        wrapped.addAll(List.of("--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
        for (Path p : readOnly) {
            wrapped.addAll(List.of("--ro-bind", p.toString(), p.toString()));
        }
        for (Path p : writable) {
            wrapped.addAll(List.of("--bind", p.toString(), p.toString()));
        }
        wrapped.addAll(List.of("--unshare-all", "--die-with-parent", "--new-session"));
        if (network) {
            wrapped.add("--share-net");
        }
        wrapped.add("--");
        wrapped.addAll(argv);
        return wrapped;
    }

    private long budget(Path log) {
        try {
            return Math.max(0, maxLogSize - Files.size(log));
        } catch (IOException e) {
            return maxLogSize;
        }
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BuildFailedException("Cannot create the build's scratch directory.", e);
        }
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new BuildFailedException("The build log cannot be written.", e);
        }
    }
}

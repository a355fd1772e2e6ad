package dev.wheelwright.builds.pip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.builds.BuildFailedException;
import dev.wheelwright.builds.WheelBuilder;
import dev.wheelwright.common.FileTrees;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
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
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Builds with pypa/build in a reused environment: {@code <env>/bin/python -m build --no-isolation --sdist --wheel}
 * over the exported tree, where the environment holds exactly {@code build} plus the tree's
 * {@code build-system.requires} (installed by pip from the build index, once per requirement set; see
 * {@link BuildEnvironments}). That is PEP 517 isolation with the environment cached instead of remade per build.
 *
 * <p>Every subprocess gets only this environment: {@code PATH} (the venv first), {@code HOME} and {@code TMPDIR} in
 * the build's scratch directory, {@code LANG=C.UTF-8}, {@code SETUPTOOLS_SCM_PRETEND_VERSION} and its per-project
 * variant, {@code SOURCE_DATE_EPOCH} (the commit's time), {@code PIP_CONFIG_FILE=/dev/null}, {@code PIP_INDEX_URL},
 * {@code PIP_NO_INPUT=1} — no tokens, no git credentials, nothing else of the server's environment. With bubblewrap
 * ({@code bwrap}) each subprocess also runs in a sandbox: the root file system read-only, the data directory hidden
 * except the build's own directories (writable) and its environment (read-only, writable while being created), fresh
 * {@code /tmp}, {@code /dev} and {@code /proc}, new user, PID, IPC and UTS namespaces, and no network at all for the
 * build itself (the environment creation keeps the network, to reach the index).
 *
 * <p>Reproducible builds: wheel (setuptools' wheels) and hatchling honour {@code SOURCE_DATE_EPOCH} in what they
 * write; setuptools' sdist does not (the files it generates, {@code PKG-INFO} and {@code *.egg-info}, carry the time
 * of the build, and so does the gzip header). So after the backend, every {@code .tar.gz} in the output whose gzip
 * header or entries are later than {@code SOURCE_DATE_EPOCH} is rewritten by Python's {@code tarfile} with those
 * times clamped to it (as {@code tar --clamp-mtime} does), in the sandbox; contents, names, order and modes stay. An
 * sdist with no later time (hatchling's) is left byte for byte as the backend wrote it. Thread-safe.
 */
public final class PythonWheelBuilder implements WheelBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * What pypa/build says (and exits 1) when the environment lacks what the backend asks for: "Unmet dependencies"
     * since build 1.3, "Missing dependencies" before.
     */
    private static final List<String> UNMET_DEPENDENCIES = List.of("Unmet dependencies", "Missing dependencies");
    /**
     * Clamps the times of an sdist ({@code argv[1]}) to {@code argv[2]} (epoch seconds): see the class comment. Run by
     * the build environment's Python; exits 0 having changed nothing when nothing is later.
     */
    private static final String CLAMP_SDIST_TIMES = """
            import gzip, io, os, sys, tarfile
            path, epoch = sys.argv[1], int(sys.argv[2])
            with open(path, "rb") as f:
                raw = f.read()
            if raw[:2] != b"\\x1f\\x8b":
                sys.exit(0)
            with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as src:
                members = src.getmembers()
                if int.from_bytes(raw[4:8], "little") <= epoch and all(m.mtime <= epoch for m in members):
                    sys.exit(0)
                out = io.BytesIO()
                with gzip.GzipFile(filename=os.path.basename(path), mode="wb", fileobj=out, mtime=epoch) as gz:
                    with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8") as dst:
                        for m in members:
                            m.mtime = min(m.mtime, epoch)
                            for key in ("mtime", "atime", "ctime"):
                                m.pax_headers.pop(key, None)
                            dst.addfile(m, src.extractfile(m) if m.isreg() else None)
            partial = path + ".clamped"
            with open(partial, "wb") as f:
                f.write(out.getvalue())
            os.replace(partial, path)
            """;

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
        Path venv = environment(job, python, system.requires(), index, env, home, tmp);
        append(job.log(), "build environment ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms\n");
        reportEnvironment(job, system, venv, system.requires());
        long logBefore = size(job.log());
        int exit = runBuild(job, system, venv, env, source, out, home, tmp);
        String output = exit == 0 ? "" : logSince(job.log(), logBefore);
        if (UNMET_DEPENDENCIES.stream().anyMatch(output::contains)) {
            // the backend asks for more than build-system.requires (PEP 517 get_requires_for_build_*): build again
            // in the environment of both sets, keyed by both, so the plain one stays what its key says
            List<String> dynamic = dynamicRequires(job, venv, env, source, out, home, tmp);
            if (!dynamic.isEmpty()) {
                List<String> all = new ArrayList<>(system.requires());
                all.addAll(dynamic);
                venv = environment(job, python, all, index, env, home, tmp);
                reportEnvironment(job, system, venv, all);
                emptyDirectory(out);
                exit = runBuild(job, system, venv, env, source, out, home, tmp);
            }
        }
        if (exit != 0) {
            throw new BuildFailedException("The build backend " + system.backendName() + " failed (exit code " + exit
                    + "); the build log has its output.");
        }
        List<Path> artifacts = listFiles(out);
        for (Path artifact : artifacts) {
            if (artifact.getFileName().toString().endsWith(".tar.gz")) {
                clampSdistTimes(job, venv, env, artifact, out, home, tmp);
            }
        }
        return listFiles(out);
    }

    private static List<Path> listFiles(Path out) {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new BuildFailedException("The build's output directory cannot be read.", e);
        }
    }

    /** Rewrites {@code sdist} with no time later than {@code SOURCE_DATE_EPOCH}: see the class comment. */
    private void clampSdistTimes(
            Job job, Path venv, Map<String, String> env, Path sdist, Path out, Path home, Path tmp) {
        Map<String, String> stepEnv = new LinkedHashMap<>(env);
        stepEnv.put("PATH", pathWith(Optional.of(venv.resolve("bin"))));
        List<String> argv = List.of(
                venv.resolve("bin/python").toString(),
                "-c",
                CLAMP_SDIST_TIMES,
                sdist.toString(),
                Long.toString(job.sourceDate().getEpochSecond()));
        int exit = runOffline(job, argv, stepEnv, List.of(out, home, tmp), venv, Optional.empty());
        if (exit != 0) {
            throw new BuildFailedException(
                    "The times in " + sdist.getFileName() + " cannot be clamped to SOURCE_DATE_EPOCH (exit code " + exit
                            + "); the build log has the output.");
        }
    }

    private static void reportEnvironment(Job job, BuildSystem system, Path venv, List<String> requires) {
        job.environmentReady()
                .accept(new Environment(
                        system.backendName(),
                        BuildEnvironments.backendVersion(venv, system.backendName()),
                        BuildEnvironments.pythonVersion(venv),
                        venv.getFileName().toString(),
                        new TreeSet<>(requires).stream().toList(),
                        BuildEnvironments.installed(venv)));
    }

    /** {@code python -m build --no-isolation --sdist --wheel} in {@code venv}, in the sandbox; its exit code. */
    private int runBuild(
            Job job,
            BuildSystem system,
            Path venv,
            Map<String, String> env,
            Path source,
            Path out,
            Path home,
            Path tmp) {
        Map<String, String> buildEnv = new LinkedHashMap<>(env);
        buildEnv.put("PATH", pathWith(Optional.of(venv.resolve("bin"))));
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
        int exit = runOffline(
                job,
                argv,
                buildEnv,
                List.of(source, out, home, tmp),
                venv,
                Optional.of(new BuildProcess.Watched(out, maxOutputSize)));
        append(
                job.log(),
                "python -m build exited with " + exit + " after " + (System.nanoTime() - t1) / 1_000_000 + " ms\n");
        return exit;
    }

    /**
     * Runs a step of the build in the sandbox without network, in the source tree (the first of {@code writable}),
     * with {@code venv} read-only; its output goes to the build log. Returns its exit code.
     */
    private int runOffline(
            Job job,
            List<String> argv,
            Map<String, String> env,
            List<Path> writable,
            Path venv,
            Optional<BuildProcess.Watched> watched) {
        return BuildProcess.run(
                sandboxed(argv, false, writable, List.of(venv)),
                env,
                writable.get(0),
                job.log(),
                budget(job.log()),
                timeout,
                watched);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** What was appended to the log after {@code offset} (at most the last 64 KiB of it). */
    private static String logSince(Path log, long offset) {
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            long from = Math.max(offset, channel.size() - 65_536);
            channel.position(from);
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void emptyDirectory(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                FileTrees.delete(f);
            }
        } catch (IOException e) {
            throw new BuildFailedException("The build's output directory cannot be emptied.", e);
        }
    }

    /** The build environment of {@code requires}, made (with the network, to reach the index) when missing. */
    private Path environment(
            Job job, String python, List<String> requires, String index, Map<String, String> env, Path home, Path tmp) {
        return environments.obtain(
                python,
                requires,
                index,
                (argv, envDir) -> {
                    Map<String, String> stepEnv = new LinkedHashMap<>(env);
                    stepEnv.put("PATH", pathWith(Optional.empty()));
                    mkdirs(envDir); // bubblewrap binds existing directories only
                    return BuildProcess.run(
                            sandboxed(argv, true, List.of(envDir, home, tmp), List.of()),
                            stepEnv,
                            job.workDir().toAbsolutePath().normalize(),
                            job.log(),
                            budget(job.log()),
                            timeout,
                            Optional.empty());
                },
                text -> append(job.log(), text));
    }

    /**
     * What the backend asks for beyond the environment (PEP 517 {@code get_requires_for_build_sdist} and {@code
     * _wheel}: setuptools' {@code setup_requires}, scikit-build-core, maturin, meson-python ask there), and that
     * {@code venv} does not satisfy yet, as pypa/build's {@code ProjectBuilder.check_dependencies} reports them. The
     * backend runs in the build's sandbox (no network), as the build itself does.
     */
    private List<String> dynamicRequires(
            Job job, Path venv, Map<String, String> env, Path source, Path out, Path home, Path tmp) {
        Path answer = tmp.resolve("dynamic-requires.json");
        Map<String, String> stepEnv = new LinkedHashMap<>(env);
        stepEnv.put("PATH", pathWith(Optional.of(venv.resolve("bin"))));
        List<String> argv =
                List.of(venv.resolve("bin/python").toString(), "-c", """
                import json, sys
                import build
                builder = build.ProjectBuilder(sys.argv[1])
                unmet = builder.check_dependencies("sdist") | builder.check_dependencies("wheel")
                with open(sys.argv[2], "w") as f:
                    json.dump(sorted({chain[0] for chain in unmet}), f)
                """, source.toString(), answer.toString());
        int exit = runOffline(job, argv, stepEnv, List.of(source, out, home, tmp), venv, Optional.empty());
        if (exit != 0) {
            throw new BuildFailedException("The build backend could not say what it needs to build"
                    + " (get_requires_for_build_sdist/_wheel failed, exit code " + exit + "); the build log has its"
                    + " output.");
        }
        List<String> unmet = new ArrayList<>();
        try {
            for (JsonNode requirement : JSON.readTree(answer.toFile())) {
                String text = requirement.asText().strip();
                if (!text.isEmpty() && !text.startsWith("-")) {
                    unmet.add(text);
                }
            }
        } catch (IOException e) {
            throw new BuildFailedException("The build backend's requirements cannot be read.", e);
        }
        if (!unmet.isEmpty()) {
            append(job.log(), "the backend also needs " + unmet + " (get_requires_for_build_*)\n");
        }
        return unmet;
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
        env.put("SOURCE_DATE_EPOCH", Long.toString(job.sourceDate().getEpochSecond()));
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

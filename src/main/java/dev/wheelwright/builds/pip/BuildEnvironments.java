package dev.wheelwright.builds.pip;

import dev.wheelwright.builds.BuildFailedException;
import dev.wheelwright.common.FileTrees;
import dev.wheelwright.common.Sha256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Build environments (venvs holding {@code build} and a project's {@code build-system.requires}), kept under
 * {@code <root>/<sha256 of the interpreter and the sorted requirement set>/} and reused by every build with the same
 * set. An environment is complete once its {@code .ready} marker exists; one that is not (a crash while creating it)
 * is recreated. Creation is serialized per key in this process and across processes by a file lock. Thread-safe.
 */
final class BuildEnvironments {
    /** The frontend every environment holds besides the project's requirements. */
    static final String FRONTEND = "build";

    private static final String READY = ".ready";
    private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9A-Za-z]+)*");
    private static final String USED = ".used";

    private final Path root;
    private final String configuredPython;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private volatile String python;

    BuildEnvironments(Path root, String python) {
        this.root = root;
        this.configuredPython = python;
    }

    /**
     * The interpreter {@code build.python} really is ({@code sys.executable}), asked once: a wrapper such as a
     * pyenv shim would otherwise run after each pip install and may fail on a read-only sandbox.
     */
    String python(Map<String, String> environment, Path workDir) {
        String resolved = python;
        if (resolved == null) {
            synchronized (this) {
                if (python == null) {
                    python = resolve(environment, workDir);
                }
                resolved = python;
            }
        }
        return resolved;
    }

    private String resolve(Map<String, String> environment, Path workDir) {
        ProcessBuilder pb = new ProcessBuilder(configuredPython, "-c", "import sys; print(sys.executable)")
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BuildFailedException("build.python '" + configuredPython + "' did not answer in 60 s.");
            }
            if (p.exitValue() != 0 || out.isEmpty() || out.contains("\n")) {
                throw new BuildFailedException("build.python '" + configuredPython + "' cannot be run: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new BuildFailedException(
                    "build.python '" + configuredPython + "' cannot be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailedException("The build was interrupted.");
        }
    }

    /**
     * Records a reuse in the {@value #USED} marker's time ({@value #READY} keeps the creation time): {@code gc}
     * removes environments unused for long.
     */
    private static void markUsed(Path dir) {
        try {
            Path used = dir.resolve(USED);
            if (!Files.exists(used)) {
                Files.createFile(used);
            }
            Files.setLastModifiedTime(used, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            // the marker's age only decides when gc may remove the environment
        }
    }

    /**
     * The Python version of an environment, as {@code venv} wrote it into {@code pyvenv.cfg} ({@code version} or
     * {@code version_info}); empty when the file does not say.
     */
    static Optional<String> pythonVersion(Path venv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(venv.resolve("pyvenv.cfg"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String key : List.of("version", "version_info")) {
            for (String line : lines) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equals(key)) {
                    String value = line.substring(eq + 1).strip();
                    if (VERSION.matcher(value).matches()) {
                        return Optional.of(key.equals("version_info") ? shortVersion(value) : value);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The installed version of the distribution that provides {@code backend} (a PEP 517 {@code build-backend}, such
     * as {@code hatchling.build} or {@code setuptools.build_meta:__legacy__}) in an environment: the distribution whose
     * {@code RECORD} lists the backend's module (the deepest package of it that a distribution holds wins, so
     * {@code poetry.core.masonry.api} is poetry-core's). Read from the files, without running the environment's
     * Python. Empty when no installed distribution holds it (an in-tree backend, {@code backend-path}).
     */
    static Optional<String> backendVersion(Path venv, String backend) {
        String module = backend.contains(":") ? backend.substring(0, backend.indexOf(':')) : backend;
        String path = module.strip().replace('.', '/');
        Optional<String> best = Optional.empty();
        int bestDepth = 0;
        for (Path distInfo : distInfos(venv)) {
            int depth = deepestHeld(distInfo.resolve("RECORD"), path);
            if (depth > bestDepth) {
                String dir = distInfo.getFileName().toString();
                String nameVersion = dir.substring(0, dir.length() - ".dist-info".length());
                int dash = nameVersion.indexOf('-');
                if (dash > 0) {
                    bestDepth = depth;
                    best = Optional.of(nameVersion.substring(dash + 1));
                }
            }
        }
        return best;
    }

    /**
     * Every distribution installed in an environment, as {@code name==version} from its {@code *.dist-info}
     * directory's name (the name as the installer wrote it), sorted; read from the files, without running Python.
     */
    static List<String> installed(Path venv) {
        List<String> found = new ArrayList<>();
        for (Path distInfo : distInfos(venv)) {
            String dir = distInfo.getFileName().toString();
            String nameVersion = dir.substring(0, dir.length() - ".dist-info".length());
            int dash = nameVersion.indexOf('-');
            if (dash > 0) {
                found.add(nameVersion.substring(0, dash) + "==" + nameVersion.substring(dash + 1));
            }
        }
        found.sort(null);
        return List.copyOf(found);
    }

    /** The {@code *.dist-info} directories of an environment's {@code lib/python*}{@code /site-packages}. */
    private static List<Path> distInfos(Path venv) {
        List<Path> found = new ArrayList<>();
        try (var libs = Files.newDirectoryStream(venv.resolve("lib"), "python*")) {
            for (Path lib : libs) {
                Path site = lib.resolve("site-packages");
                if (Files.isDirectory(site)) {
                    try (var infos = Files.newDirectoryStream(site, "*.dist-info")) {
                        infos.forEach(found::add);
                    }
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        found.sort(null);
        return found;
    }

    /**
     * How many leading parts of the module path {@code a/b/c} the {@code RECORD} holds a file under (3 for a file
     * under {@code a/b/c/} or {@code a/b/c.py}), 0 for none.
     */
    private static int deepestHeld(Path record, String modulePath) {
        List<String> lines;
        try {
            lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return 0;
        }
        String[] parts = modulePath.split("/");
        int best = 0;
        for (String line : lines) {
            String file = line.contains(",") ? line.substring(0, line.indexOf(',')) : line;
            String prefix = "";
            for (int i = 0; i < parts.length; i++) {
                prefix = i == 0 ? parts[0] : prefix + "/" + parts[i];
                if (file.startsWith(prefix + "/") || file.equals(prefix + ".py")) {
                    best = Math.max(best, i + 1);
                } else {
                    break;
                }
            }
            if (best == parts.length) {
                break;
            }
        }
        return best;
    }

    private static String shortVersion(String versionInfo) {
        String[] parts = versionInfo.split("\\.");
        return parts.length >= 3 ? parts[0] + "." + parts[1] + "." + parts[2] : versionInfo;
    }

    /** The marker file of a complete environment (its time: the creation). */
    static String readyMarker() {
        return READY;
    }

    /** The marker file whose time is an environment's last reuse (absent: never reused). */
    static String usedMarker() {
        return USED;
    }

    /** Runs one step of creating an environment (venv, pip install) and returns its exit code. */
    @FunctionalInterface
    interface Runner {
        int run(List<String> argv, Path envDir);
    }

    /** The key of a requirement set: order and duplicates do not matter, spelling does. */
    String key(String python, List<String> requires) {
        TreeSet<String> set = new TreeSet<>(requires);
        StringBuilder text =
                new StringBuilder(python).append('\n').append(FRONTEND).append('\n');
        set.forEach(r -> text.append(r).append('\n'));
        return Sha256.hex(text.toString());
    }

    /** Where the environment of this key lives. */
    Path dir(String key) {
        return root.resolve(key);
    }

    /**
     * The environment for {@code requires}, created with {@code runner} when missing; {@code note} is told which
     * happened (for the build log). A failing step is a {@link BuildFailedException}; the half-made environment is removed.
     */
    Path obtain(String python, List<String> requires, String indexUrl, Runner runner, Consumer<String> note) {
        String key = key(python, requires);
        Path dir = dir(key);
        if (Files.isRegularFile(dir.resolve(READY))) {
            note.accept("reusing build environment " + key + "\n");
            markUsed(dir);
            return dir;
        }
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(
                            root.resolve(key + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock fileLock = channel.lock()) {
                if (Files.isRegularFile(dir.resolve(READY))) {
                    note.accept("reusing build environment " + key + " (made by a concurrent build)\n");
                    return dir;
                }
                deleteTree(dir);
                note.accept("creating build environment " + key + " for " + new TreeSet<>(requires) + "\n");
                step(
                        runner.run(List.of(python, "-m", "venv", "--without-pip", dir.toString()), dir),
                        "Cannot create a virtual environment with " + python + ".",
                        dir);
                List<String> install = new ArrayList<>(List.of(
                        python,
                        "-m",
                        "pip",
                        "--python",
                        dir.resolve("bin/python").toString(),
                        "install",
                        "--no-cache-dir",
                        "--disable-pip-version-check",
                        "--no-input",
                        "--index-url",
                        indexUrl,
                        FRONTEND));
                install.addAll(new TreeSet<>(requires));
                step(
                        runner.run(install, dir),
                        "Cannot install the build requirements " + new TreeSet<>(requires) + " from " + indexUrl
                                + "; see the build log.",
                        dir);
                Files.writeString(dir.resolve("requirements.txt"), String.join("\n", new TreeSet<>(requires)) + "\n");
                Files.writeString(dir.resolve(READY), "");
                return dir;
            }
        } catch (IOException e) {
            throw new BuildFailedException("Cannot prepare build environment " + key + ".", e);
        } finally {
            lock.unlock();
        }
    }

    private static void step(int exitCode, String failure, Path dir) {
        if (exitCode != 0) {
            deleteTree(dir);
            throw new BuildFailedException(failure);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new BuildFailedException(
                    "Cannot remove the incomplete build environment " + dir.getFileName() + ".", e);
        }
    }
}

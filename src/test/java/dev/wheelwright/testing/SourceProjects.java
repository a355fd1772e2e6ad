package dev.wheelwright.testing;

import dev.wheelwright.builds.BuildRequest;
import dev.wheelwright.builds.SourceTree;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Tiny Python projects written at test time, one per build backend, and a {@link SourceTree} that "exports" a
 * commit by copying the project's directory (the git side's JGit export is tested on its own). Each project's
 * module defines {@code VERSION} and {@code BACKEND}.
 */
public final class SourceProjects {
    private SourceProjects() {}

    /**
     * A {@link SourceTree} over one directory: every commit is that directory's content, committed at
     * {@link #COMMITTED} (every exported file and directory gets that modification time); counts exports.
     */
    public static final class DirectoryTree implements SourceTree {
        public static final Instant COMMITTED = Instant.parse("2026-01-01T00:00:00Z");

        private final Path dir;
        private final AtomicInteger exports = new AtomicInteger();

        public DirectoryTree(Path dir) {
            this.dir = dir;
        }

        public int exports() {
            return exports.get();
        }

        @Override
        public Instant exportTo(String commit, Path target) {
            exports.incrementAndGet();
            try (Stream<Path> files = Files.walk(dir)) {
                List<Path> written = new ArrayList<>();
                for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                    Path to = target.resolve(dir.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                    written.add(to);
                }
                for (int i = written.size() - 1; i >= 0; i--) { // a directory's time after its files'
                    Files.setLastModifiedTime(written.get(i), FileTime.from(COMMITTED));
                }
                return COMMITTED;
            } catch (IOException e) {
                throw new WheelwrightException(WheelwrightException.Kind.FAILED, "cannot export " + commit, e);
            }
        }

        @Override
        public String repository() {
            return dir.toUri().toString();
        }

        @Override
        public Optional<String> tagObject(String tag, String commit) {
            return Optional.empty();
        }
    }

    /** The request to build {@code dir} as {@code name} at tag {@code tag} with {@code version}. */
    public static BuildRequest request(String name, String version, String tag, Path dir) {
        return new BuildRequest(
                ProjectName.parse(name),
                Version.parse(version),
                tag,
                "c0ffee" + "0".repeat(34),
                Optional.empty(),
                new DirectoryTree(dir));
    }

    /** A hatchling project {@code name} whose pyproject says {@code version}. */
    public static Path hatchling(Path parent, String name, String version) {
        return write(
                parent.resolve(name),
                Map.of(
                        "pyproject.toml",
                        """
                        [build-system]
                        requires = ["hatchling"]
                        build-backend = "hatchling.build"

                        [project]
                        name = "%s"
                        version = "%s"
                        requires-python = ">=3.8"
                        """.formatted(name, version),
                        module(name) + "/__init__.py",
                        moduleText(version, "hatchling")));
    }

    /** A setuptools project configured in pyproject.toml only. */
    public static Path setuptools(Path parent, String name, String version) {
        return write(
                parent.resolve(name),
                Map.of(
                        "pyproject.toml",
                        """
                        [build-system]
                        requires = ["setuptools>=61"]
                        build-backend = "setuptools.build_meta"

                        [project]
                        name = "%s"
                        version = "%s"

                        [tool.setuptools]
                        packages = ["%s"]
                        """.formatted(name, version, module(name)),
                        module(name) + "/__init__.py",
                        moduleText(version, "setuptools")));
    }

    /** A flit_core project. */
    public static Path flit(Path parent, String name, String version) {
        return write(
                parent.resolve(name),
                Map.of(
                        "pyproject.toml",
                        """
                        [build-system]
                        requires = ["flit_core>=3.4,<5"]
                        build-backend = "flit_core.buildapi"

                        [project]
                        name = "%s"
                        version = "%s"
                        description = "A flit test project"
                        """.formatted(name, version),
                        module(name) + "/__init__.py",
                        moduleText(version, "flit_core")));
    }

    /** A poetry-core project (PEP 621 metadata, poetry-core 2). */
    public static Path poetry(Path parent, String name, String version) {
        return write(
                parent.resolve(name),
                Map.of(
                        "pyproject.toml",
                        """
                        [build-system]
                        requires = ["poetry-core>=2.0"]
                        build-backend = "poetry.core.masonry.api"

                        [project]
                        name = "%s"
                        version = "%s"
                        description = "A poetry test project"
                        """.formatted(name, version),
                        module(name) + "/__init__.py",
                        moduleText(version, "poetry-core")));
    }

    /** A setuptools-scm project: no version in the tree, it comes from SETUPTOOLS_SCM_PRETEND_VERSION. */
    public static Path setuptoolsScm(Path parent, String name) {
        return write(
                parent.resolve(name),
                Map.of(
                        "pyproject.toml",
                        """
                        [build-system]
                        requires = ["setuptools>=64", "setuptools-scm>=8"]
                        build-backend = "setuptools.build_meta"

                        [project]
                        name = "%s"
                        dynamic = ["version"]

                        [tool.setuptools]
                        packages = ["%s"]

                        [tool.setuptools_scm]
                        version_file = "%s/_version.py"
                        """.formatted(name, module(name), module(name)),
                        module(name) + "/__init__.py",
                        """
                        from ._version import __version__ as VERSION
                        BACKEND = "setuptools-scm"
                        """));
    }

    /** The import name of a test project. */
    public static String module(String name) {
        return name.replace('-', '_');
    }

    private static String moduleText(String version, String backend) {
        return "VERSION = \"" + version + "\"\nBACKEND = \"" + backend + "\"\n";
    }

    /** Writes the files (relative path → text) under {@code dir}. */
    public static Path write(Path dir, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> f : new LinkedHashMap<>(files).entrySet()) {
                Path target = dir.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, f.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

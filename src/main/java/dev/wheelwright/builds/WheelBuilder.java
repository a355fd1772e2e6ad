package dev.wheelwright.builds;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one build of a prepared source tree: the project's own PEP 517 backend makes an sdist and a wheel. Implemented
 * by {@code build.pip.PythonWheelBuilder}. Thread-safe: several builds may run at once, each with its own job.
 */
public interface WheelBuilder {
    /**
     * One build's inputs.
     *
     * @param project the project being built
     * @param version the tag's version; exported to setuptools-scm as its pretend version
     * @param source the directory holding {@code pyproject.toml} or {@code setup.py}; the builder does not change it
     * @param outDir the empty directory the artifacts are written to
     * @param workDir a private scratch directory (home and temp of the build), deleted by the caller afterwards
     * @param log the build's log file; the builder appends the output of everything it runs
     * @param indexUrl the PEP 503 simple index the build requirements are installed from
     * @param sourceDate the time of the commit built: the build's {@code SOURCE_DATE_EPOCH}, so that a build of the
     *     same commit gives the same bytes wherever and whenever it runs
     * @param environmentReady told once, before the backend runs, what the build environment holds; it must return
     *     quickly
     */
    record Job(
            ProjectName project,
            Version version,
            Path source,
            Path outDir,
            Path workDir,
            Path log,
            String indexUrl,
            Instant sourceDate,
            Consumer<Environment> environmentReady) {
        public Job {
            Objects.requireNonNull(project);
            Objects.requireNonNull(version);
            Objects.requireNonNull(source);
            Objects.requireNonNull(outDir);
            Objects.requireNonNull(workDir);
            Objects.requireNonNull(log);
            Objects.requireNonNull(indexUrl);
            Objects.requireNonNull(sourceDate);
            Objects.requireNonNull(environmentReady);
        }
    }

    /**
     * What a ready build environment holds, for the record of who built a release and the provenance of its files.
     *
     * @param backend the PEP 517 {@code build-backend} the build calls
     * @param backendVersion the installed version of the distribution providing it; empty when it cannot be told
     *     (an in-tree backend)
     * @param python the environment's Python version; empty when it cannot be told
     * @param id the environment's id: the same id, the same interpreter and requirement set
     * @param requires the requirement set the environment was made for, sorted (the frontend not included)
     * @param installed every distribution installed in it, as {@code name==version}, sorted
     */
    record Environment(
            String backend,
            Optional<String> backendVersion,
            Optional<String> python,
            String id,
            List<String> requires,
            List<String> installed) {
        public Environment {
            Objects.requireNonNull(backend);
            Objects.requireNonNull(backendVersion);
            Objects.requireNonNull(python);
            Objects.requireNonNull(id);
            requires = List.copyOf(requires);
            installed = List.copyOf(installed);
        }
    }

    /**
     * Builds the sdist and the wheel of {@code job.source()} into {@code job.outDir()} and returns the files written
     * there. The backend runs with {@code SOURCE_DATE_EPOCH} = {@code job.sourceDate()}; a {@code .tar.gz} sdist
     * holding a later time (in its gzip header or an entry) has those times clamped to it. A build that fails, times
     * out or writes too much throws {@link BuildFailedException} with a one-sentence reason; an interrupted build
     * stops its processes and throws it too, with the thread's interrupt flag set.
     */
    List<Path> build(Job job);
}

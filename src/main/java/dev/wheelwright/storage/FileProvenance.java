package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a built distribution file came from and what made it, as its build recorded it (#9).
 *
 * @param project the project (stored by its PEP 503 normalized name)
 * @param version the release (stored in its PEP 440 normalized form)
 * @param filename the distribution's filename, unique across the index
 * @param sha256 lower-case hex sha256 of the file built
 * @param source the git sources built
 * @param builder what built it
 * @param started when the build started
 * @param finished when the build backend had made the file
 */
public record FileProvenance(
        ProjectName project,
        Version version,
        String filename,
        String sha256,
        Source source,
        Builder builder,
        Instant started,
        Instant finished) {
    public FileProvenance {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        Objects.requireNonNull(filename);
        Objects.requireNonNull(sha256);
        Objects.requireNonNull(source);
        Objects.requireNonNull(builder);
        Objects.requireNonNull(started);
        Objects.requireNonNull(finished);
    }

    /**
     * The sources of a build.
     *
     * @param repository the repository's URL, without credentials
     * @param tag the tag's name
     * @param tagObject the id of the annotated tag object; empty for a lightweight tag
     * @param commit the full id of the commit built
     * @param subdirectory where the project lies in the tree, when not at its root
     * @param treeSha256 the sha256 of the exported tree (see {@code builds.SourceDigest})
     */
    public record Source(
            String repository,
            String tag,
            Optional<String> tagObject,
            String commit,
            Optional<String> subdirectory,
            String treeSha256) {
        public Source {
            Objects.requireNonNull(repository);
            Objects.requireNonNull(tag);
            Objects.requireNonNull(tagObject);
            Objects.requireNonNull(commit);
            Objects.requireNonNull(subdirectory);
            Objects.requireNonNull(treeSha256);
        }
    }

    /**
     * What ran a build.
     *
     * @param wheelwright the Wheelwright version of the server that built it
     * @param host the host name of that server
     * @param backend the PEP 517 {@code build-backend} called
     * @param backendVersion the installed version of the distribution providing it
     * @param python the build environment's Python version
     * @param environmentId the build environment's id: a sha256 of the interpreter and the requirement set
     * @param requires the environment's requirement set, sorted
     * @param installed what the environment held, as {@code name==version}, sorted
     */
    public record Builder(
            String wheelwright,
            String host,
            String backend,
            Optional<String> backendVersion,
            Optional<String> python,
            String environmentId,
            List<String> requires,
            List<String> installed) {
        public Builder {
            List.of(
                    wheelwright,
                    host,
                    backend,
                    backendVersion,
                    python,
                    environmentId); // null is a NullPointerException
            requires = List.copyOf(requires);
            installed = List.copyOf(installed);
        }
    }
}

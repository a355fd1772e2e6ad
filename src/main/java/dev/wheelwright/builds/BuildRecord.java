package dev.wheelwright.builds;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one build, as the builds API shows it.
 *
 * @param project normalized project name
 * @param version PEP 440 normalized version
 * @param tag the tag built
 * @param commit the commit built
 * @param status queued, running, succeeded or failed
 * @param reason why it failed (names both versions when the built version differs from the tag's)
 * @param queued when it was queued
 * @param started when a worker took it
 * @param finished when it ended
 * @param builder who ran it: host, backend and Python, as far as the build has learned them
 */
public record BuildRecord(
        String project,
        String version,
        String tag,
        String commit,
        Status status,
        Optional<String> reason,
        Instant queued,
        Optional<Instant> started,
        Optional<Instant> finished,
        Builder builder) {
    /**
     * Who ran a build, as it recorded it; each part empty until the build learned it, or when it was recorded before
     * builders were kept.
     *
     * @param host the host name of the server whose worker ran it
     * @param backend the PEP 517 {@code build-backend} it called
     * @param backendVersion the installed version of the distribution providing that backend
     * @param python the Python version of the build environment
     */
    public record Builder(
            Optional<String> host, Optional<String> backend, Optional<String> backendVersion, Optional<String> python) {
        public static final Builder UNKNOWN =
                new Builder(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        public Builder {
            Objects.requireNonNull(host);
            Objects.requireNonNull(backend);
            Objects.requireNonNull(backendVersion);
            Objects.requireNonNull(python);
        }

        /** Whether anything is known. */
        public boolean isKnown() {
            return host.isPresent() || backend.isPresent() || python.isPresent();
        }
    }

    /** The life of a build: queued, running, then succeeded or failed. */
    public enum Status {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED;

        public boolean isFinished() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    public BuildRecord {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(commit);
        Objects.requireNonNull(status);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(queued);
        Objects.requireNonNull(started);
        Objects.requireNonNull(finished);
        Objects.requireNonNull(builder);
    }
}

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
        Optional<Instant> finished) {
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
    }
}

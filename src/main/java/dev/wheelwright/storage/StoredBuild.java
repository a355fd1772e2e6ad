package dev.wheelwright.storage;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The persisted state of one build of a release from a git tag; (project, version) is unique.
 *
 * @param project PEP 503 normalized project name
 * @param version PEP 440 normalized version
 * @param tag the tag built
 * @param commit the full commit id built
 * @param status {@code queued}, {@code running}, {@code succeeded} or {@code failed}
 * @param reason why it failed, for a failed build
 * @param queued when it was (last) queued
 * @param started when a worker (last) took it
 * @param finished when it (last) ended
 */
public record StoredBuild(
        String project,
        String version,
        String tag,
        String commit,
        String status,
        Optional<String> reason,
        Instant queued,
        Optional<Instant> started,
        Optional<Instant> finished) {
    public StoredBuild {
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

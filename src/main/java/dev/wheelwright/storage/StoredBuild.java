package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The persisted state of one build of a release from a git tag; (project, version) is unique.
 *
 * @param project the project (stored by its PEP 503 normalized name)
 * @param version the release (stored in its PEP 440 normalized form)
 * @param tag the tag built
 * @param commit the full commit id built
 * @param status where the build stands
 * @param reason why it failed, for a failed build
 * @param queued when it was (last) queued
 * @param started when a worker (last) took it
 * @param finished when it (last) ended
 */
public record StoredBuild(
        ProjectName project,
        Version version,
        String tag,
        String commit,
        BuildStatus status,
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

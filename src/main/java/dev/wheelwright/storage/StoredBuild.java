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
 * @param builder who ran its last run: host, backend and Python (see {@link BuilderIdentity})
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
        Optional<Instant> finished,
        BuilderIdentity builder) {
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
        Objects.requireNonNull(builder);
    }

    /** A first build of a release from {@code tag} at {@code commit}, queued at {@code at}. */
    public static StoredBuild queuedAt(ProjectName project, Version version, String tag, String commit, Instant at) {
        return new StoredBuild(
                project,
                version,
                tag,
                commit,
                BuildStatus.QUEUED,
                Optional.empty(),
                at,
                Optional.empty(),
                Optional.empty(),
                BuilderIdentity.UNKNOWN);
    }

    /** This build queued again at {@code at}: the same tag and commit, the reason and times of its last run gone. */
    public StoredBuild requeuedAt(Instant at) {
        return queuedAt(project, version, tag, commit, at);
    }

    /**
     * This build taken by a worker of {@code host} at {@code at}, building {@code tag} at {@code commit}; what an
     * earlier run learned of its backend is gone.
     */
    public StoredBuild startedAt(String tag, String commit, Instant at, String host) {
        return new StoredBuild(
                project,
                version,
                tag,
                commit,
                BuildStatus.RUNNING,
                Optional.empty(),
                queued,
                Optional.of(at),
                Optional.empty(),
                BuilderIdentity.host(host));
    }

    /** This build ended at {@code at}: failed for {@code failure}, or succeeded when there is none. */
    public StoredBuild endedAt(Optional<String> failure, Instant at) {
        BuildStatus status = failure.isPresent() ? BuildStatus.FAILED : BuildStatus.SUCCEEDED;
        return new StoredBuild(
                project,
                version,
                tag,
                commit,
                status,
                failure,
                queued,
                Optional.of(started.orElse(at)),
                Optional.of(at),
                builder);
    }

    /** This build with what its run has learned of who builds it. */
    public StoredBuild withBuilder(BuilderIdentity builder) {
        return new StoredBuild(project, version, tag, commit, status, reason, queued, started, finished, builder);
    }
}

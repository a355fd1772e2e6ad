package dev.wheelwright.builds;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the git source needs from the build side: queue a release (one build per project and version however often
 * it is asked), wait a bounded time for it, and read the state of builds. Implemented by {@code BuildService}.
 * Thread-safe.
 */
public interface Builds {
    /** Queues the release unless a build of (project, version) exists already; returns that build's record. */
    BuildRecord submit(BuildRequest request);

    /** Waits at most {@code timeout} for the build of (project, version) to finish; returns its current record. */
    Optional<BuildRecord> await(String project, String version, Duration timeout);

    /** The builds of a project, newest version first. */
    List<BuildRecord> builds(String project);
}

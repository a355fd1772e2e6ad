package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.util.List;
import java.util.Optional;

/**
 * The build records of releases built from git tags: one per (project, version), kept after success or failure so
 * a release is built once, also across restarts. Versions are told apart by their normalized form ({@code 1.0} and
 * {@code 1.0.0} are two releases here, as they are two tags). Implementations are thread-safe and may be shared by
 * several processes; every write is one transaction. Absence is {@link Optional#empty()}, an empty list or
 * {@code false}; backend failures throw {@link StorageException}. Instants come back truncated to microseconds.
 */
public interface BuildStore {
    /**
     * Records a new build of (project, version) unless one exists; the existing record is returned and nothing
     * changes when it does, empty means the build was added. Concurrent adds of one release record it exactly once.
     */
    Optional<StoredBuild> addBuild(StoredBuild build);

    /** Replaces the state (tag, commit, status, reason, times, builder) of the build of (project, version); false if none. */
    boolean updateBuild(StoredBuild build);

    /** The build of this release; empty when none was recorded. */
    Optional<StoredBuild> build(ProjectName project, Version version);

    /** The builds of a project, most recently queued first (then by version text); empty for an unknown project. */
    List<StoredBuild> builds(ProjectName project);

    /**
     * The {@code limit} builds of any project queued most recently, newest first (then by project and version text).
     */
    List<StoredBuild> recentBuilds(int limit);

    /** Every build that is {@link BuildStatus#QUEUED} or {@link BuildStatus#RUNNING}, oldest queued first. */
    List<StoredBuild> unfinishedBuilds();
}

package dev.wheelwright.source;

import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildRequest;
import dev.wheelwright.python.InvalidProjectNameException;
import dev.wheelwright.python.InvalidVersionException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.util.Optional;

/**
 * The request to rebuild a build record of a git-backed release, e.g. one left unfinished by an earlier process or
 * retried after a restart: the record's tag and commit, the project's subdirectory and its mirror's tree. Needs only
 * the name → repository mapping and the mirrors, so the build service can be given it when it is made. Thread-safe.
 */
public final class ReleaseRecovery {
    private final ProjectSources sources;
    private final SourceRepository repositories;

    public ReleaseRecovery(GitMirrors mirrors) {
        this.sources = mirrors.sources();
        this.repositories = mirrors.repositories();
    }

    /** The request that rebuilds {@code record}; empty when the project's source is not known (yet). */
    public Optional<BuildRequest> recover(BuildRecord record) {
        ProjectName name;
        try {
            name = ProjectName.parse(record.project());
        } catch (InvalidProjectNameException e) {
            return Optional.empty();
        }
        Optional<Version> version = version(record);
        return sources.known(name)
                .flatMap(p -> version.map(v -> new BuildRequest(
                        p.name(), v, record.tag(), record.commit(), p.subdirectory(), repositories.tree(p.url()))));
    }

    /** The version of a build record; empty when it is not a PEP 440 version. */
    static Optional<Version> version(BuildRecord record) {
        try {
            return Optional.of(Version.parse(record.version()));
        } catch (InvalidVersionException e) {
            return Optional.empty();
        }
    }
}

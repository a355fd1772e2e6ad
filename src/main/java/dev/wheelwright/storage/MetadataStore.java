package dev.wheelwright.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Projects, files, tokens and builds. Implementations are thread-safe, and several processes (a server and the CLI)
 * may use one store at once. Every write is one transaction: it happens whole or not at all. Absence is
 * {@link Optional#empty()}; backend failures throw {@link StorageException}.
 */
public interface MetadataStore extends AutoCloseable {
    /** All projects, ordered by normalized name. */
    List<ProjectRecord> projects();

    Optional<ProjectRecord> project(String name);

    /** The files of a project, ordered by upload time then filename; empty for an unknown project. */
    List<StoredFile> files(String project);

    /** The file with this filename in this project. */
    Optional<StoredFile> file(String project, String filename);

    /**
     * Records a file, creating its project when needed (revision 1, created at the file's upload time) or bumping
     * the project's revision and updating its display name and summary. Filenames are unique
     * across the index: when the filename is already recorded nothing changes and the existing record is
     * returned; empty means the file was added.
     */
    Optional<StoredFile> addFile(StoredFile file, String displayName, String summary);

    /** Sets or clears ({@code reason} empty) the yank of a file; false when there is no such file. */
    boolean setYanked(String project, String filename, Optional<String> reason);

    /** Stores a new token; a name or id that exists already is a CONFLICT {@code WheelwrightException}. */
    void addToken(TokenRecord token);

    /** The token with this id. */
    Optional<TokenRecord> token(String id);

    /** All tokens, ordered by name. */
    List<TokenRecord> tokens();

    /** Removes the token with this name; false when there was none. */
    boolean revokeToken(String name);

    /** Records a successful use of a token; an unknown id is ignored. */
    void tokenUsed(String id, Instant when);

    /** The upstream page snapshot of a project (upstream proxy cache). */
    Optional<UpstreamSnapshot> upstreamSnapshot(String project);

    /** Stores the upstream page snapshot of a project, replacing the previous one. */
    void putUpstreamSnapshot(UpstreamSnapshot snapshot);

    /** Removes the upstream page snapshot of a project; false when there was none. */
    boolean deleteUpstreamSnapshot(String project);

    /** The cached upstream file with this filename ({@code .metadata} names included). */
    Optional<CachedUpstreamFile> cachedUpstreamFile(String filename);

    /** The cached upstream files of a project, ordered by filename. */
    List<CachedUpstreamFile> cachedUpstreamFiles(String project);

    /**
     * Records a cached upstream file. Filenames are unique: when the filename is already recorded nothing changes and
     * the existing record is returned; empty means it was added.
     */
    Optional<CachedUpstreamFile> addCachedUpstreamFile(CachedUpstreamFile file);

    /**
     * Whether this blob is referenced by any file record (as the file or its {@code .metadata}) or by a cached
     * upstream file.
     */
    boolean referencesBlob(BlobKey key);

    /**
     * Records a new build of (project, version) unless one exists; the existing record is returned and nothing
     * changes when it does, empty means the build was added.
     */
    Optional<StoredBuild> addBuild(StoredBuild build);

    /** Replaces the state (tag, commit, status, reason, times) of the build of (project, version); false if none. */
    boolean updateBuild(StoredBuild build);

    /** The build of this release. */
    Optional<StoredBuild> build(String project, String version);

    /** The builds of a project, most recently queued first; empty for an unknown project. */
    List<StoredBuild> builds(String project);

    /** Every build whose status is {@code queued} or {@code running}, oldest queued first. */
    List<StoredBuild> unfinishedBuilds();

    @Override
    void close();
}

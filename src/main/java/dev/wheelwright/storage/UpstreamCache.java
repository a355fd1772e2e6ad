package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.util.List;
import java.util.Optional;

/**
 * The upstream proxy's cache index: the last project page fetched per project, and the upstream files kept in the
 * {@link BlobStore}. Nothing here is listed as a hosted project: the cache is apart from the {@link ProjectCatalog}.
 * Implementations are thread-safe and may be shared by several processes; every write is one transaction. Absence
 * is {@link Optional#empty()}, an empty list or {@code false}; backend failures throw {@link StorageException}.
 * Instants come back truncated to microseconds.
 */
public interface UpstreamCache {
    /** The page snapshot of a project; empty when none is kept. */
    Optional<UpstreamSnapshot> upstreamSnapshot(ProjectName project);

    /** Stores the page snapshot of a project, replacing the previous one whole. */
    void putUpstreamSnapshot(UpstreamSnapshot snapshot);

    /** Removes the page snapshot of a project; false when there was none. */
    boolean deleteUpstreamSnapshot(ProjectName project);

    /** The cached file with this filename ({@code .metadata} names included), whatever its project. */
    Optional<CachedUpstreamFile> cachedUpstreamFile(String filename);

    /** The cached files of a project, ordered by filename; empty when none. */
    List<CachedUpstreamFile> cachedUpstreamFiles(ProjectName project);

    /**
     * Records a cached file. Filenames are unique: when the filename is already recorded nothing changes and the
     * existing record is returned; empty means it was added.
     */
    Optional<CachedUpstreamFile> addCachedUpstreamFile(CachedUpstreamFile file);

    /**
     * Whether a cached file refers to this blob. Blobs are shared with the {@link ProjectCatalog}: a blob is
     * unreferenced only when neither this nor {@link ProjectCatalog#referencesBlob} refers to it.
     */
    boolean referencesBlob(BlobKey key);
}

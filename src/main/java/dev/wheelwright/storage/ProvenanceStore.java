package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.util.List;
import java.util.Optional;

/**
 * The provenance of built files (one record per filename) and the key provenance is signed with (one per store, so
 * every replica of it signs with the same key). Implementations are thread-safe and may be shared by several
 * processes; every write is one transaction. Absence is {@link Optional#empty()} or an empty list; backend failures
 * throw {@link StorageException}. Instants come back truncated to microseconds.
 */
public interface ProvenanceStore {
    /** Records the provenance of {@code provenance.filename()}, replacing what was recorded for that filename. */
    void putProvenance(FileProvenance provenance);

    /** The provenance recorded for this filename; empty when none was. */
    Optional<FileProvenance> provenance(String filename);

    /** The provenance of every file of a project recorded, by filename; empty for an unknown project. */
    List<FileProvenance> provenanceOf(ProjectName project);

    /** The store's signing key; empty until one was added. */
    Optional<SigningKeyRecord> signingKey();

    /**
     * Adds the store's signing key unless it has one: the existing key is returned and nothing changes when it does,
     * empty means {@code key} was added. Concurrent adds keep exactly one key.
     */
    Optional<SigningKeyRecord> addSigningKey(SigningKeyRecord key);
}

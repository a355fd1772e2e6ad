package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hosted projects and their distribution files, as uploads, imports and builds record them and the index lists
 * them. Implementations are thread-safe, and several processes (a server and the CLI) may use one catalog at once.
 * Every write is one transaction: it happens whole or not at all. Absence is {@link Optional#empty()}, an empty list
 * or {@code false}, never an exception; backend failures throw {@link StorageException}. Instants come back
 * truncated to microseconds; project names come back in their normalized spelling.
 */
public interface ProjectCatalog {
    /** All projects, ordered by normalized name. */
    List<ProjectRecord> projects();

    /** The project of this name; empty when no file of it was ever recorded. */
    Optional<ProjectRecord> project(ProjectName name);

    /** The files of a project, ordered by upload time then filename; empty for an unknown project. */
    List<StoredFile> files(ProjectName project);

    /** The {@code limit} most recently recorded files of the whole index, newest first (then by filename). */
    List<StoredFile> recentFiles(int limit);

    /** The file with this filename in this project; empty when there is none in this project. */
    Optional<StoredFile> file(ProjectName project, String filename);

    /**
     * Records a file, creating its project when needed (revision 1, created at the file's upload time) or bumping
     * the project's revision and updating its display name and summary. Filenames are unique across the index (all
     * projects): when the filename is already recorded nothing changes and the existing record is returned; empty
     * means the file was added. Concurrent adds of one filename record it exactly once.
     */
    Optional<StoredFile> addFile(StoredFile file, String displayName, String summary);

    /** A file to record with its project's display name and summary, as {@link #addFile} takes them. */
    record NewFile(StoredFile file, String displayName, String summary) {
        public NewFile {
            Objects.requireNonNull(file);
            Objects.requireNonNull(displayName);
            Objects.requireNonNull(summary);
        }
    }

    /**
     * Records several files in one transaction, as {@link #addFile} would one after the other: the answer at index
     * {@code i} is what {@code addFile} answers for {@code files.get(i)}, a file earlier in the list counting as
     * recorded. All of them or none: a failure throws {@link StorageException} and records nothing. Imports use it
     * so that a thousand files cost one commit (one flush to disk) rather than a thousand.
     */
    List<Optional<StoredFile>> addFiles(List<NewFile> files);

    /**
     * Sets or clears ({@code reason} empty) the yank of a file and bumps its project's revision; false, and nothing
     * changes, when the project has no such file.
     */
    boolean setYanked(ProjectName project, String filename, Optional<String> reason);

    /**
     * Whether a file record refers to this blob, as the file's bytes or as its {@code .metadata}. Blobs are shared
     * with the {@link UpstreamCache}: a blob is unreferenced only when neither this nor
     * {@link UpstreamCache#referencesBlob} refers to it.
     */
    boolean referencesBlob(BlobKey key);

    /**
     * A value that differs from the one returned before whenever a change to this catalog may have been committed in
     * between, by this or by another process (a change elsewhere in the same database may move it too); an equal value
     * means nothing changed. Cheap enough for every request: no table is read. Caches of catalog reads are valid
     * while it stays the same.
     */
    long changeStamp();
}

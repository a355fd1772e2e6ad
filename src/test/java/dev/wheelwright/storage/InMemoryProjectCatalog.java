package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ProjectCatalog} in maps, for service tests. Thread-safe (every method is synchronized, so every write is
 * atomic); instants are truncated to microseconds and names spelled normalized, as the SQL catalog gives them back.
 */
public class InMemoryProjectCatalog implements ProjectCatalog {
    private static final Comparator<StoredFile> LISTING_ORDER =
            Comparator.comparing(StoredFile::uploadTime).thenComparing(StoredFile::filename);

    private final Map<String, ProjectRecord> projects = new TreeMap<>();
    private final Map<String, StoredFile> filesByName = new HashMap<>();
    private long changes;

    @Override
    public synchronized long changeStamp() {
        return changes;
    }

    @Override
    public synchronized List<ProjectRecord> projects() {
        return List.copyOf(projects.values());
    }

    @Override
    public synchronized Optional<ProjectRecord> project(ProjectName name) {
        return Optional.ofNullable(projects.get(name.normalized()));
    }

    @Override
    public synchronized List<StoredFile> files(ProjectName project) {
        Objects.requireNonNull(project);
        return filesByName.values().stream()
                .filter(f -> f.project().equals(project))
                .sorted(LISTING_ORDER)
                .toList();
    }

    @Override
    public synchronized List<StoredFile> recentFiles(int limit) {
        return filesByName.values().stream()
                .sorted(Comparator.comparing(StoredFile::uploadTime).reversed().thenComparing(StoredFile::filename))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<StoredFile> file(ProjectName project, String filename) {
        Objects.requireNonNull(project);
        return Optional.ofNullable(filesByName.get(filename))
                .filter(f -> f.project().equals(project));
    }

    @Override
    public synchronized List<Optional<StoredFile>> addFiles(List<NewFile> files) {
        List<Optional<StoredFile>> answers = new ArrayList<>(files.size());
        for (NewFile added : files) {
            answers.add(addFile(added.file(), added.displayName(), added.summary()));
        }
        return answers;
    }

    @Override
    public synchronized Optional<StoredFile> addFile(StoredFile file, String displayName, String summary) {
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(summary);
        StoredFile existing = filesByName.get(file.filename());
        if (existing != null) {
            return Optional.of(existing);
        }
        StoredFile stored = new StoredFile(
                normalized(file.project()),
                file.version(),
                file.filename(),
                file.packagetype(),
                file.size(),
                file.sha256(),
                file.blob(),
                file.requiresPython(),
                file.metadataSha256(),
                file.metadataBlob(),
                micros(file.uploadTime()),
                file.yankedReason(),
                file.uploadedBy());
        ProjectRecord project = projects.get(stored.project().normalized());
        projects.put(
                stored.project().normalized(),
                project == null
                        ? new ProjectRecord(stored.project(), displayName, summary, stored.uploadTime(), 1)
                        : new ProjectRecord(
                                project.name(), displayName, summary, project.created(), project.revision() + 1));
        filesByName.put(stored.filename(), stored);
        changes++;
        return Optional.empty();
    }

    @Override
    public synchronized boolean setYanked(ProjectName project, String filename, Optional<String> reason) {
        Objects.requireNonNull(reason);
        StoredFile f = filesByName.get(filename);
        if (f == null || !f.project().equals(project)) {
            return false;
        }
        filesByName.put(
                filename,
                new StoredFile(
                        f.project(),
                        f.version(),
                        f.filename(),
                        f.packagetype(),
                        f.size(),
                        f.sha256(),
                        f.blob(),
                        f.requiresPython(),
                        f.metadataSha256(),
                        f.metadataBlob(),
                        f.uploadTime(),
                        reason,
                        f.uploadedBy()));
        ProjectRecord p = projects.get(project.normalized());
        projects.put(
                project.normalized(),
                new ProjectRecord(p.name(), p.displayName(), p.summary(), p.created(), p.revision() + 1));
        changes++;
        return true;
    }

    @Override
    public synchronized boolean referencesBlob(BlobKey key) {
        return filesByName.values().stream()
                .anyMatch(f -> f.blob().equals(key) || f.metadataBlob().equals(Optional.of(key)));
    }

    /** The name spelled normalized, as a store that keeps only the normalized form gives it back. */
    static ProjectName normalized(ProjectName name) {
        return name.original().equals(name.normalized()) ? name : ProjectName.parse(name.normalized());
    }

    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}

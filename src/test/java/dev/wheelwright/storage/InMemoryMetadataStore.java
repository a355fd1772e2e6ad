package dev.wheelwright.storage;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link MetadataStore} in maps, for service tests. Thread-safe (every method is synchronized, so every write is
 * atomic); instants are truncated to microseconds like the SQL stores do. Close is a no-op.
 */
public final class InMemoryMetadataStore implements MetadataStore {
    private static final Comparator<StoredFile> LISTING_ORDER =
            Comparator.comparing(StoredFile::uploadTime).thenComparing(StoredFile::filename);

    private final Map<String, ProjectRecord> projects = new TreeMap<>();
    private final Map<String, StoredFile> filesByName = new HashMap<>();
    private final Map<String, TokenRecord> tokensById = new HashMap<>();
    private final Map<String, UpstreamSnapshot> snapshots = new HashMap<>();
    private final Map<String, CachedUpstreamFile> cachedByName = new TreeMap<>();
    private final Map<String, StoredBuild> buildsByKey = new HashMap<>();

    @Override
    public synchronized List<ProjectRecord> projects() {
        return List.copyOf(projects.values());
    }

    @Override
    public synchronized Optional<ProjectRecord> project(String name) {
        return Optional.ofNullable(projects.get(Objects.requireNonNull(name)));
    }

    @Override
    public synchronized List<StoredFile> files(String project) {
        Objects.requireNonNull(project);
        return filesByName.values().stream()
                .filter(f -> f.project().equals(project))
                .sorted(LISTING_ORDER)
                .toList();
    }

    @Override
    public synchronized Optional<StoredFile> file(String project, String filename) {
        return Optional.ofNullable(filesByName.get(filename)).filter(f -> f.project().equals(project));
    }

    @Override
    public synchronized Optional<StoredFile> addFile(StoredFile file, String displayName, String summary) {
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(summary);
        StoredFile existing = filesByName.get(file.filename());
        if (existing != null) {
            return Optional.of(existing);
        }
        StoredFile stored = withUploadTime(file, micros(file.uploadTime()));
        ProjectRecord project = projects.get(file.project());
        projects.put(
                file.project(),
                project == null
                        ? new ProjectRecord(file.project(), displayName, summary, stored.uploadTime(), 1)
                        : new ProjectRecord(
                                project.name(), displayName, summary, project.created(), project.revision() + 1));
        filesByName.put(stored.filename(), stored);
        return Optional.empty();
    }

    @Override
    public synchronized boolean setYanked(String project, String filename, Optional<String> reason) {
        Objects.requireNonNull(reason);
        StoredFile f = filesByName.get(filename);
        if (f == null || !f.project().equals(project)) {
            return false;
        }
        filesByName.put(filename, new StoredFile(f.project(), f.version(), f.filename(), f.packagetype(), f.size(),
                f.sha256(), f.blob(), f.requiresPython(), f.metadataSha256(), f.metadataBlob(), f.uploadTime(),
                reason, f.uploadedBy()));
        ProjectRecord p = projects.get(project);
        projects.put(project, new ProjectRecord(p.name(), p.displayName(), p.summary(), p.created(), p.revision() + 1));
        return true;
    }

    @Override
    public synchronized void addToken(TokenRecord token) {
        for (String scope : token.scopes()) {
            if (scope.isEmpty() || scope.contains(",")) { // as the SQL stores, which keep scopes comma-joined
                throw new IllegalArgumentException("scope names are non-empty and without commas: " + scope);
            }
        }
        boolean nameTaken = tokensById.values().stream().anyMatch(t -> t.name().equals(token.name()));
        if (nameTaken || tokensById.containsKey(token.id())) {
            throw new WheelwrightException(Kind.CONFLICT, "a token named " + token.name() + " already exists");
        }
        TokenRecord stored = new TokenRecord(token.id(), token.name(), token.salt(), token.secretHash(),
                token.scopes(), token.projectGlob(), micros(token.created()),
                token.expires().map(InMemoryMetadataStore::micros),
                token.lastUsed().map(InMemoryMetadataStore::micros));
        tokensById.put(token.id(), stored);
    }

    @Override
    public synchronized Optional<TokenRecord> token(String id) {
        return Optional.ofNullable(tokensById.get(Objects.requireNonNull(id)));
    }

    @Override
    public synchronized List<TokenRecord> tokens() {
        return tokensById.values().stream().sorted(Comparator.comparing(TokenRecord::name)).toList();
    }

    @Override
    public synchronized boolean revokeToken(String name) {
        return tokensById.values().removeIf(t -> t.name().equals(name));
    }

    @Override
    public synchronized void tokenUsed(String id, Instant when) {
        tokensById.computeIfPresent(id, (k, t) -> withLastUsed(t, Optional.of(micros(when))));
    }

    @Override
    public synchronized boolean referencesBlob(BlobKey key) {
        return filesByName.values().stream()
                        .anyMatch(f -> f.blob().equals(key) || f.metadataBlob().equals(Optional.of(key)))
                || cachedByName.values().stream().anyMatch(f -> f.blob().equals(key));
    }

    @Override
    public synchronized Optional<UpstreamSnapshot> upstreamSnapshot(String project) {
        return Optional.ofNullable(snapshots.get(Objects.requireNonNull(project)));
    }

    @Override
    public synchronized void putUpstreamSnapshot(UpstreamSnapshot s) {
        snapshots.put(s.project(), new UpstreamSnapshot(
                s.project(), s.upstream(), s.body(), s.etag(), s.lastModified(), micros(s.fetched())));
    }

    @Override
    public synchronized boolean deleteUpstreamSnapshot(String project) {
        return snapshots.remove(Objects.requireNonNull(project)) != null;
    }

    @Override
    public synchronized Optional<CachedUpstreamFile> cachedUpstreamFile(String filename) {
        return Optional.ofNullable(cachedByName.get(Objects.requireNonNull(filename)));
    }

    @Override
    public synchronized List<CachedUpstreamFile> cachedUpstreamFiles(String project) {
        Objects.requireNonNull(project);
        return cachedByName.values().stream().filter(f -> f.project().equals(project)).toList();
    }

    @Override
    public synchronized Optional<CachedUpstreamFile> addCachedUpstreamFile(CachedUpstreamFile f) {
        CachedUpstreamFile existing = cachedByName.get(f.filename());
        if (existing != null) {
            return Optional.of(existing);
        }
        cachedByName.put(f.filename(), new CachedUpstreamFile(
                f.filename(), f.project(), f.sha256(), f.size(), f.blob(), micros(f.cached())));
        return Optional.empty();
    }

    @Override
    public synchronized Optional<StoredBuild> addBuild(StoredBuild build) {
        StoredBuild existing = buildsByKey.get(key(build.project(), build.version()));
        if (existing != null) {
            return Optional.of(existing);
        }
        buildsByKey.put(key(build.project(), build.version()), micros(build));
        return Optional.empty();
    }

    @Override
    public synchronized boolean updateBuild(StoredBuild build) {
        return buildsByKey.replace(key(build.project(), build.version()), micros(build)) != null;
    }

    @Override
    public synchronized Optional<StoredBuild> build(String project, String version) {
        return Optional.ofNullable(buildsByKey.get(key(Objects.requireNonNull(project), Objects.requireNonNull(version))));
    }

    @Override
    public synchronized List<StoredBuild> builds(String project) {
        Objects.requireNonNull(project);
        return buildsByKey.values().stream()
                .filter(b -> b.project().equals(project))
                .sorted(Comparator.comparing(StoredBuild::queued).reversed().thenComparing(StoredBuild::version))
                .toList();
    }

    @Override
    public synchronized List<StoredBuild> unfinishedBuilds() {
        return buildsByKey.values().stream()
                .filter(b -> b.status().equals("queued") || b.status().equals("running"))
                .sorted(Comparator.comparing(StoredBuild::queued)
                        .thenComparing(StoredBuild::project)
                        .thenComparing(StoredBuild::version))
                .toList();
    }

    private static String key(String project, String version) {
        return project + "\n" + version;
    }

    private static StoredBuild micros(StoredBuild b) {
        return new StoredBuild(b.project(), b.version(), b.tag(), b.commit(), b.status(), b.reason(), micros(b.queued()),
                b.started().map(InMemoryMetadataStore::micros), b.finished().map(InMemoryMetadataStore::micros));
    }

    @Override
    public void close() {}

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static StoredFile withUploadTime(StoredFile f, Instant uploadTime) {
        return new StoredFile(f.project(), f.version(), f.filename(), f.packagetype(), f.size(), f.sha256(), f.blob(),
                f.requiresPython(), f.metadataSha256(), f.metadataBlob(), uploadTime, f.yankedReason(),
                f.uploadedBy());
    }

    private static TokenRecord withLastUsed(TokenRecord t, Optional<Instant> lastUsed) {
        return new TokenRecord(t.id(), t.name(), t.salt(), t.secretHash(), t.scopes(), t.projectGlob(), t.created(),
                t.expires(), lastUsed);
    }
}

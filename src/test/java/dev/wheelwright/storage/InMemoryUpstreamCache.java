package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link UpstreamCache} in maps, for service tests. Thread-safe (every method is synchronized); instants are
 * truncated to microseconds and names spelled normalized, as the SQL cache gives them back.
 */
public final class InMemoryUpstreamCache implements UpstreamCache {
    private final Map<String, UpstreamSnapshot> snapshots = new HashMap<>();
    private final Map<String, CachedUpstreamFile> cachedByName = new TreeMap<>();

    @Override
    public synchronized Optional<UpstreamSnapshot> upstreamSnapshot(ProjectName project) {
        return Optional.ofNullable(snapshots.get(project.normalized()));
    }

    @Override
    public synchronized void putUpstreamSnapshot(UpstreamSnapshot s) {
        snapshots.put(
                s.project().normalized(),
                new UpstreamSnapshot(
                        InMemoryProjectCatalog.normalized(s.project()),
                        s.upstream(),
                        s.body(),
                        s.etag(),
                        s.lastModified(),
                        InMemoryProjectCatalog.micros(s.fetched())));
    }

    @Override
    public synchronized boolean deleteUpstreamSnapshot(ProjectName project) {
        return snapshots.remove(project.normalized()) != null;
    }

    @Override
    public synchronized Optional<CachedUpstreamFile> cachedUpstreamFile(String filename) {
        return Optional.ofNullable(cachedByName.get(Objects.requireNonNull(filename)));
    }

    @Override
    public synchronized List<CachedUpstreamFile> cachedUpstreamFiles(ProjectName project) {
        Objects.requireNonNull(project);
        return cachedByName.values().stream()
                .filter(f -> f.project().equals(project))
                .toList();
    }

    @Override
    public synchronized Optional<CachedUpstreamFile> addCachedUpstreamFile(CachedUpstreamFile f) {
        CachedUpstreamFile existing = cachedByName.get(f.filename());
        if (existing != null) {
            return Optional.of(existing);
        }
        cachedByName.put(
                f.filename(),
                new CachedUpstreamFile(
                        f.filename(),
                        InMemoryProjectCatalog.normalized(f.project()),
                        f.sha256(),
                        f.size(),
                        f.blob(),
                        InMemoryProjectCatalog.micros(f.cached())));
        return Optional.empty();
    }

    @Override
    public synchronized boolean referencesBlob(BlobKey key) {
        return cachedByName.values().stream().anyMatch(f -> f.blob().equals(key));
    }
}

package dev.wheelwright.storage;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link BuildStore} in a map, for service tests. Thread-safe (every method is synchronized); builds are keyed by
 * the normalized project name and version text and instants truncated to microseconds, as in the SQL store.
 */
public final class InMemoryBuildStore implements BuildStore {
    private static final Comparator<StoredBuild> UNFINISHED_ORDER = Comparator.comparing(StoredBuild::queued)
            .thenComparing(b -> b.project().normalized())
            .thenComparing(b -> b.version().normalized());

    private final Map<String, StoredBuild> buildsByKey = new HashMap<>();

    @Override
    public synchronized Optional<StoredBuild> addBuild(StoredBuild build) {
        StoredBuild existing = buildsByKey.get(key(build.project(), build.version()));
        if (existing != null) {
            return Optional.of(existing);
        }
        buildsByKey.put(key(build.project(), build.version()), stored(build));
        return Optional.empty();
    }

    @Override
    public synchronized boolean updateBuild(StoredBuild build) {
        return buildsByKey.replace(key(build.project(), build.version()), stored(build)) != null;
    }

    @Override
    public synchronized Optional<StoredBuild> build(ProjectName project, Version version) {
        return Optional.ofNullable(buildsByKey.get(key(project, version)));
    }

    @Override
    public synchronized List<StoredBuild> builds(ProjectName project) {
        Objects.requireNonNull(project);
        return buildsByKey.values().stream()
                .filter(b -> b.project().equals(project))
                .sorted(Comparator.comparing(StoredBuild::queued)
                        .reversed()
                        .thenComparing(b -> b.version().normalized()))
                .toList();
    }

    @Override
    public synchronized List<StoredBuild> recentBuilds(int limit) {
        return buildsByKey.values().stream()
                .sorted(Comparator.comparing(StoredBuild::queued)
                        .reversed()
                        .thenComparing(b -> b.project().normalized())
                        .thenComparing(b -> b.version().normalized()))
                .limit(Math.max(0, limit))
                .toList();
    }

    @Override
    public synchronized List<StoredBuild> unfinishedBuilds() {
        return buildsByKey.values().stream()
                .filter(b -> !b.status().isFinished())
                .sorted(UNFINISHED_ORDER)
                .toList();
    }

    private static String key(ProjectName project, Version version) {
        return project.normalized() + "\n" + version.normalized();
    }

    private static StoredBuild stored(StoredBuild b) {
        return new StoredBuild(
                InMemoryProjectCatalog.normalized(b.project()),
                b.version(),
                b.tag(),
                b.commit(),
                b.status(),
                b.reason(),
                InMemoryProjectCatalog.micros(b.queued()),
                b.started().map(InMemoryProjectCatalog::micros),
                b.finished().map(InMemoryProjectCatalog::micros),
                b.builder());
    }
}

package dev.wheelwright.source;

import dev.wheelwright.builds.SourceTree;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A remote whose tags a test sets ({@link #push}), with a mirror that has them after a fetch; counts the tag checks
 * ({@code ls-remote}) and the fetches. Holds no commits: its tags list no releases unless {@link #listingReleases}.
 */
final class CountingRepository implements SourceRepository {
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger checks = new AtomicInteger();
    private volatile Map<String, String> remote = Map.of();
    private volatile Map<String, String> mirrored = Map.of();
    private volatile boolean listsReleases;

    /** From now on the mirror's tags are listed (each a release when its name is a version tag). */
    CountingRepository listingReleases() {
        listsReleases = true;
        return this;
    }

    /** The remote's tags become {@code tags} (name to object id). */
    void push(Map<String, String> tags) {
        remote = Map.copyOf(tags);
    }

    @Override
    public void fetch(String url, Set<String> branches) {
        fetches.incrementAndGet();
        mirrored = remote;
    }

    @Override
    public boolean exists(String url) {
        return true;
    }

    @Override
    public Map<String, String> remoteTags(String url) {
        checks.incrementAndGet();
        return remote;
    }

    @Override
    public Map<String, String> remoteHeads(String url, Set<String> branches) {
        return Map.of();
    }

    @Override
    public Map<String, String> mirroredHeads(String url, Set<String> branches) {
        return Map.of();
    }

    @Override
    public BranchPosition describe(String url, String commit, Set<String> tagged) {
        throw new SourceExportException("no commits here");
    }

    @Override
    public Map<String, String> mirroredTags(String url) {
        return mirrored;
    }

    @Override
    public List<GitTag> tags(String url) {
        if (!listsReleases) {
            return List.of();
        }
        return mirrored.entrySet().stream()
                .map(t -> new GitTag(t.getKey(), t.getValue(), java.time.Instant.EPOCH))
                .toList();
    }

    @Override
    public Map<String, String> firstSeen(String url) {
        return Map.of();
    }

    @Override
    public Set<String> deletedTags(String url) {
        return Set.of();
    }

    @Override
    public void recordFirstSeen(String url, Map<String, String> tags) {}

    @Override
    public SourceTree tree(String url) {
        return new SourceTree() {
            @Override
            public java.time.Instant exportTo(String commit, java.nio.file.Path target) {
                throw new SourceExportException("no trees here");
            }

            @Override
            public String repository() {
                return url;
            }

            @Override
            public java.util.Optional<String> tagObject(String tag, String commit) {
                return java.util.Optional.empty();
            }
        };
    }
}

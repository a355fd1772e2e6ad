package dev.wheelwright.source;

import dev.wheelwright.builds.SourceTree;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Local mirrors of remote git repositories, one per remote URL, holding every tag and the commits they name.
 * Thread-safe; calls for the same URL may run concurrently (the implementation serializes what must be).
 * URLs are passed as configured; implementations never log or report credentials.
 */
public interface SourceRepository {
    /**
     * Creates the mirror of {@code url} on first use and fetches every tag of the remote. A tag moved at the remote
     * is moved in the mirror too; a tag deleted at the remote stays. Throws {@link SourceUnavailableException} when
     * the remote cannot be reached or read; the mirror keeps what it had.
     */
    default void fetch(String url) {
        fetch(url, Set.of());
    }

    /**
     * As {@link #fetch(String)}, and the heads of {@code branches} (names without {@code refs/heads/}) too, forced: a
     * rewritten branch follows the remote. A branch the remote lacks is left out.
     */
    void fetch(String url, Set<String> branches);

    /**
     * The heads of those of {@code branches} the remote has now ({@code ls-remote --heads}): branch → commit id.
     * Throws {@link SourceUnavailableException} when the remote cannot be reached or read.
     */
    Map<String, String> remoteHeads(String url, Set<String> branches);

    /** The heads of those of {@code branches} the mirror of {@code url} has: branch → commit id. */
    Map<String, String> mirroredHeads(String url, Set<String> branches);

    /**
     * Where {@code commit} of the mirror stands after the newest of its ancestors among {@code tagged} (commit ids):
     * as {@code git describe --tags}, that commit and how many commits the head has that it does not; without one,
     * every commit of the history. Throws {@link SourceExportException} when the mirror lacks the commit.
     */
    BranchPosition describe(String url, String commit, Set<String> tagged);

    /** Whether {@code url} answers as a git repository (an {@code ls-remote} succeeds). Never throws. */
    boolean exists(String url);

    /**
     * The tags at the remote now ({@code ls-remote}, no objects transferred): tag name → the id its ref points at (an
     * annotated tag's own id). Throws {@link SourceUnavailableException} when the remote cannot be reached or read.
     */
    Map<String, String> remoteTags(String url);

    /** The tags of the mirror of {@code url} in the same form as {@link #remoteTags}; empty when never fetched. */
    Map<String, String> mirroredTags(String url);

    /** The tags in the mirror of {@code url}, in no particular order; empty when it was never fetched. */
    List<GitTag> tags(String url);

    /**
     * For each tag ever seen in the mirror, the commit it named when it was first seen. Kept in the mirror, so it
     * survives restarts, and it keeps that commit available after the tag moves.
     */
    Map<String, String> firstSeen(String url);

    /** Records tag → commit as first seen for every tag not recorded yet; recorded tags are left unchanged. */
    void recordFirstSeen(String url, Map<String, String> tags);

    /**
     * The tags the mirror of {@code url} keeps although the remote no longer has them (deleted there; found by the
     * last fetch). A tag pushed again at the remote leaves this set at the next fetch. Empty when never fetched.
     */
    Set<String> deletedTags(String url);

    /** The trees of the commits in the mirror of {@code url}, for builds. */
    SourceTree tree(String url);
}

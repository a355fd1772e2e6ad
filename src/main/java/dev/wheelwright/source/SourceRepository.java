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
    void fetch(String url);

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

package dev.wheelwright.index;

import dev.wheelwright.upstream.ProxiedListing;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a project's page comes from, as the index decided it for one requester: the one answer to "which source
 * serves this name", reused by every page that shows a project.
 */
public sealed interface Listing permits Listing.Local, Listing.Proxied, Listing.Merged {
    /**
     * A local project (hosted or git-backed): its revision, and its files read only when a page for that revision is
     * not at hand.
     */
    record Local(ProjectRevision project, Supplier<ProjectListing> files) implements Listing {
        public Local {
            Objects.requireNonNull(project);
            Objects.requireNonNull(files);
        }
    }

    /** A name no local source has: the upstream's page, never merged with anything (dependency confusion). */
    record Proxied(ProxiedListing upstream) implements Listing {
        public Proxied {
            Objects.requireNonNull(upstream);
        }
    }

    /** A local project opted in to upstream files ({@code proxy.allow-upstream}): local files first. */
    record Merged(ProjectListing local, ProxiedListing upstream) implements Listing {
        public Merged {
            Objects.requireNonNull(local);
            Objects.requireNonNull(upstream);
        }
    }
}

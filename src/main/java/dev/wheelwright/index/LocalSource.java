package dev.wheelwright.index;

import dev.wheelwright.python.ProjectName;
import java.util.List;
import java.util.Optional;

/**
 * A source of local projects besides uploads, such as git-backed projects: it owns names even before any file of
 * theirs is recorded, so those names are never served from an upstream index. Files it produces are recorded in the
 * {@code ProjectCatalog} like uploads. Implementations are thread-safe.
 */
public interface LocalSource {
    /** Whether this source serves the project (PEP 503 normalized comparison). */
    boolean owns(ProjectName name);

    /**
     * Called before a listing of an owned project is read: the source may refresh (rate-limited) and wait a bounded
     * time (well under pip's 15 s read timeout) for work this refresh started. Never throws for remote failures:
     * what is known keeps being served.
     */
    void prepare(ProjectName name);

    /** Where this source takes an owned project from; empty for other names. */
    Optional<SourceLocation> location(ProjectName name);

    /** Every project this source owns, for the root list. */
    List<ProjectName> projects();
}

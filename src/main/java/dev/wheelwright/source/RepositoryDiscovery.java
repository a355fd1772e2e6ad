package dev.wheelwright.source;

import java.util.List;

/**
 * Finds the Python projects of an organisation's repositories (GitHub / GitHub Enterprise REST API). Thread-safe.
 */
public interface RepositoryDiscovery {
    /**
     * Every repository of the organisation whose default branch declares a project name, in no particular order;
     * repositories without a readable name are left out. Throws {@link SourceUnavailableException} when the
     * listing itself fails.
     */
    List<DiscoveredRepository> discover();

    /** What is being discovered, for logs and the API (never a token). */
    String describe();
}

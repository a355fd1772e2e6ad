package dev.wheelwright.source;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several discoveries (e.g. a GitHub organisation and a GitLab group) as one: every one is asked, and the listing
 * fails when any of them fails, so a host that is down never makes its projects look removed.
 */
public final class Discoveries implements RepositoryDiscovery {
    private final List<RepositoryDiscovery> all;

    public Discoveries(List<RepositoryDiscovery> all) {
        this.all = List.copyOf(all);
    }

    @Override
    public List<DiscoveredRepository> discover() {
        List<DiscoveredRepository> found = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (RepositoryDiscovery discovery : all) {
            try {
                found.addAll(discovery.discover());
            } catch (SourceUnavailableException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new SourceUnavailableException(String.join("; ", failures));
        }
        return found;
    }

    @Override
    public String describe() {
        return all.stream().map(RepositoryDiscovery::describe).collect(Collectors.joining(", "));
    }
}

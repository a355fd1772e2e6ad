package dev.wheelwright.upstream;

import java.util.List;
import java.util.Objects;

/**
 * What the proxy lists for a project from its upstream: files (quarantine applied) and versions (PEP 440
 * normalized, ascending). {@code revision} changes whenever the content may have changed, so rendered pages can be
 * cached by it.
 */
public record ProxiedListing(
        String project, String upstream, long revision, List<ProxiedFile> files, List<String> versions) {
    public ProxiedListing {
        Objects.requireNonNull(project);
        Objects.requireNonNull(upstream);
        files = List.copyOf(files);
        versions = List.copyOf(versions);
    }
}

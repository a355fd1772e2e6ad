package dev.wheelwright.index;

import java.util.List;
import java.util.Objects;

/**
 * What the index says about one project: its revision, its files and its versions (PEP 440 normalized, ascending).
 * Every file's version is in {@code versions}.
 */
public record ProjectListing(ProjectRevision project, List<ListedFile> files, List<String> versions) {
    public ProjectListing {
        Objects.requireNonNull(project);
        files = List.copyOf(files);
        versions = List.copyOf(versions);
    }
}

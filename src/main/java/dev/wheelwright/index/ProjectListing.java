package dev.wheelwright.index;

import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StoredFile;
import java.util.List;
import java.util.Objects;

/**
 * What the index says about one project: its record, its files and its versions (PEP 440 normalized, ascending).
 * Every file's version is in {@code versions}.
 */
public record ProjectListing(ProjectRecord project, List<StoredFile> files, List<String> versions) {
    public ProjectListing {
        Objects.requireNonNull(project);
        files = List.copyOf(files);
        versions = List.copyOf(versions);
    }
}

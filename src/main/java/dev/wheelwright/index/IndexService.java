package dev.wheelwright.index;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.MetadataStore;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StoredFile;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One listing per project name, as the requester may see it. Projects outside a token's project limit do not
 * exist for that token (404, never 403, so clients move on). Thread-safe.
 */
public final class IndexService {
    private final MetadataStore store;

    public IndexService(MetadataStore store) {
        this.store = Objects.requireNonNull(store);
    }

    /** Projects the principal may see, ordered by normalized name. */
    public List<ProjectRecord> projects(Principal principal) {
        return store.projects().stream().filter(p -> principal.covers(p.name())).toList();
    }

    /** The project's record, for cache validation by revision; empty when unknown or not visible. */
    public Optional<ProjectRecord> project(ProjectName name, Principal principal) {
        if (!principal.covers(name.normalized())) {
            return Optional.empty();
        }
        return store.project(name.normalized());
    }

    /** The project's files and versions; {@link ProjectNotFoundException} when unknown or not visible. */
    public ProjectListing listing(ProjectName name, Principal principal) {
        ProjectRecord project = project(name, principal).orElseThrow(() -> notFound(name));
        List<StoredFile> files = store.files(project.name());
        TreeMap<Version, String> versions = new TreeMap<>();
        for (StoredFile f : files) {
            versions.putIfAbsent(Version.parse(f.version()), f.version());
        }
        return new ProjectListing(project, files, List.copyOf(versions.values()));
    }

    /** One file of a project; {@link ProjectNotFoundException} when it is not there or not visible. */
    public StoredFile file(ProjectName name, String filename, Principal principal) {
        if (!principal.covers(name.normalized())) {
            throw notFound(name);
        }
        return store.file(name.normalized(), filename)
                .orElseThrow(() -> new ProjectNotFoundException("No file " + filename + " in project " + name.normalized() + "."));
    }

    private static ProjectNotFoundException notFound(ProjectName name) {
        return new ProjectNotFoundException("No project named " + name.normalized() + " in this index.");
    }
}

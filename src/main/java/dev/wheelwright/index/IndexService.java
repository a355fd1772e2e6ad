package dev.wheelwright.index;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One listing per project name, as the requester may see it. Projects outside a token's project limit do not
 * exist for that token (404, never 403, so clients move on). Thread-safe.
 */
public final class IndexService {
    private static final Instant NEVER = Instant.EPOCH;

    private static final ProjectName READINESS_PROBE = ProjectName.parse("readiness-probe");

    private final ProjectCatalog store;
    private final List<LocalSource> sources;

    /** Whether the metadata store answers a lookup (readiness): false when it fails, never an exception. */
    public boolean ready() {
        try {
            store.project(READINESS_PROBE);
            return true;
        } catch (StorageException e) {
            return false;
        }
    }

    public IndexService(ProjectCatalog store) {
        this(store, List.of());
    }

    public IndexService(ProjectCatalog store, List<LocalSource> sources) {
        this.store = Objects.requireNonNull(store);
        this.sources = List.copyOf(sources);
    }

    /** Projects the principal may see, ordered by normalized name: recorded ones and those local sources own. */
    public List<ProjectSummary> projects(Principal principal) {
        TreeMap<String, ProjectRecord> all = new TreeMap<>();
        for (LocalSource source : sources) {
            for (ProjectName name : source.projects()) {
                all.put(name.normalized(), placeholder(name));
            }
        }
        for (ProjectRecord p : store.projects()) {
            all.put(p.name().normalized(), p);
        }
        return all.values().stream()
                .filter(p -> principal.covers(p.name().normalized()))
                .map(p -> new ProjectSummary(p.name(), p.displayName(), p.summary()))
                .toList();
    }

    /** Whether the name is served locally (recorded, or owned by a local source): never from an upstream. */
    public boolean isLocal(ProjectName name) {
        return store.project(name).isPresent() || sources.stream().anyMatch(s -> s.owns(name));
    }

    /**
     * The project's record, for cache validation by revision; empty when unknown or not visible. A local source that
     * owns the name is given the chance to refresh first; an owned project with no files yet has revision 0.
     */
    public Optional<ProjectRevision> project(ProjectName name, Principal principal) {
        if (!principal.covers(name.normalized())) {
            return Optional.empty();
        }
        Optional<LocalSource> owner = sources.stream().filter(s -> s.owns(name)).findFirst();
        owner.ifPresent(s -> s.prepare(name));
        Optional<ProjectRecord> recorded = store.project(name);
        if (recorded.isPresent() || owner.isEmpty()) {
            return recorded.map(IndexService::revision);
        }
        return Optional.of(revision(placeholder(name)));
    }

    private static ProjectRevision revision(ProjectRecord p) {
        return new ProjectRevision(p.name(), p.revision());
    }

    private static ListedFile listed(StoredFile f) {
        return new ListedFile(
                f.project(),
                f.filename(),
                f.sha256(),
                f.requiresPython(),
                f.yankedReason(),
                f.metadataSha256(),
                f.size(),
                f.uploadTime());
    }

    private static ProjectRecord placeholder(ProjectName name) {
        return new ProjectRecord(name, name.original(), "", NEVER, 0);
    }

    /** The project's files and versions; {@link ProjectNotFoundException} when unknown or not visible. */
    public ProjectListing listing(ProjectName name, Principal principal) {
        if (!principal.covers(name.normalized())) {
            throw notFound(name);
        }
        ProjectRecord project = store.project(name)
                .or(() -> sources.stream().anyMatch(s -> s.owns(name))
                        ? Optional.of(placeholder(name))
                        : Optional.empty())
                .orElseThrow(() -> notFound(name));
        List<StoredFile> files = store.files(project.name());
        TreeMap<Version, String> versions = new TreeMap<>();
        for (StoredFile f : files) {
            versions.putIfAbsent(f.version(), f.version().normalized());
        }
        return new ProjectListing(
                revision(project), files.stream().map(IndexService::listed).toList(), List.copyOf(versions.values()));
    }

    /** One file of a project; {@link ProjectNotFoundException} when it is not there or not visible. */
    public StoredFile file(ProjectName name, String filename, Principal principal) {
        if (!principal.covers(name.normalized())) {
            throw notFound(name);
        }
        return store.file(name, filename)
                .orElseThrow(() ->
                        new ProjectNotFoundException("No file " + filename + " in project " + name.normalized() + "."));
    }

    private static ProjectNotFoundException notFound(ProjectName name) {
        return new ProjectNotFoundException("No project named " + name.normalized() + " in this index.");
    }
}

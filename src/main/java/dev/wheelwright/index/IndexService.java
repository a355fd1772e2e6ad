package dev.wheelwright.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.CachedUpstreamFile;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.ProvenanceStore;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.upstream.ProxiedListing;
import dev.wheelwright.upstream.UpstreamService;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door for "where does this name come from": a name (and the requester) resolves to a {@link Listing}
 * (local, proxied from an upstream, or local merged with upstream files) and a file to a {@link FileSource} (stored,
 * cached from an upstream, or streaming from one). The dependency-confusion rule lives here alone: a name that is
 * local (recorded, or owned by a local source such as git) is never served from an upstream, unless it is opted in
 * to merging ({@code proxy.allow-upstream}). Projects outside a token's project limit do not exist for that token
 * (404, never 403, so clients move on). Thread-safe.
 */
public final class IndexService {
    private static final Logger log = LoggerFactory.getLogger(IndexService.class);
    private static final Instant NEVER = Instant.EPOCH;

    /** How many project records (found or not) are kept in memory: every project of a large index. */
    private static final int RECORDS_KEPT = 200_000;

    private static final ProjectName READINESS_PROBE = ProjectName.parse("readiness-probe");

    private final ProjectCatalog store;
    private final BlobStore blobs;
    private final List<LocalSource> sources;
    private final Optional<UpstreamService> upstream;
    private final Set<String> mergeUpstream;
    private final ProvenanceStore provenance;
    /** Project records by normalized name, each with the change stamp it was read under; bounded. */
    private final Cache<String, Stamped> records =
            Caffeine.newBuilder().maximumSize(RECORDS_KEPT).build();

    private final AtomicLong listVersions = new AtomicLong();
    private volatile AllProjects allProjectsRead;

    private record Stamped(long stamp, Optional<ProjectRecord> record) {}

    /** Every project, as of a change stamp and the local sources' names, with lower-case summaries for search. */
    private record AllProjects(
            long stamp,
            List<ProjectName> owned,
            List<ProjectSummary> summaries,
            List<String> lowerSummaries,
            long version) {}

    private final ProjectPages pages;

    /** Whether the metadata store answers a lookup (readiness): false when it fails, never an exception. */
    public boolean ready() {
        try {
            store.project(READINESS_PROBE);
            return true;
        } catch (StorageException e) {
            return false;
        }
    }

    /**
     * @param store the recorded projects and files
     * @param blobs the bytes of recorded files
     * @param sources local sources besides uploads (git), which own names before any file of theirs is recorded
     * @param upstream the upstream proxy, when one is configured
     * @param mergeUpstream local names (any spelling) whose pages also list upstream files
     */
    public IndexService(
            ProjectCatalog store,
            BlobStore blobs,
            List<LocalSource> sources,
            Optional<UpstreamService> upstream,
            Set<String> mergeUpstream,
            ProvenanceStore provenance) {
        this.provenance = Objects.requireNonNull(provenance);
        this.store = Objects.requireNonNull(store);
        this.blobs = Objects.requireNonNull(blobs);
        this.sources = List.copyOf(sources);
        this.upstream = upstream.filter(UpstreamService::enabled);
        this.mergeUpstream = mergeUpstream.stream().map(ProjectName::normalize).collect(Collectors.toUnmodifiableSet());
        this.pages = new ProjectPages(store, blobs, this.sources);
    }

    /** An index of recorded projects alone: no other local source, no upstream. */
    public static IndexService local(ProjectCatalog store, BlobStore blobs, ProvenanceStore provenance) {
        return new IndexService(store, blobs, List.of(), Optional.empty(), Set.of(), provenance);
    }

    /** Projects the principal may see, ordered by normalized name: recorded ones and those local sources own. */
    public List<ProjectSummary> projects(Principal principal) {
        return projectList(principal).projects();
    }

    /**
     * The project list the principal may see, with a version for caching what is made of it: the same version means
     * the same list. The whole list is read from the catalog again only after its change stamp moved (or the names
     * local sources own changed); a principal limited to some projects gets its filtered list, with no version.
     */
    public ProjectList projectList(Principal principal) {
        AllProjects all = allProjects();
        if (principal.projects().isEmpty()) {
            return new ProjectList(OptionalLong.of(all.version()), all.summaries());
        }
        return new ProjectList(
                OptionalLong.empty(),
                all.summaries().stream()
                        .filter(p -> principal.covers(p.name().normalized()))
                        .collect(Collectors.toUnmodifiableList()));
    }

    /**
     * Every project as read when the catalog's change stamp last moved (or the names local sources own changed): the
     * root page, the home page and search read it on every request, the catalog only after a change.
     */
    private AllProjects allProjects() {
        long stamp = store.changeStamp();
        List<ProjectName> owned = new ArrayList<>();
        sources.forEach(s -> owned.addAll(s.projects()));
        AllProjects all = allProjectsRead;
        if (all != null && all.stamp() == stamp && all.owned().equals(owned)) {
            return all;
        }
        TreeMap<String, ProjectRecord> merged = new TreeMap<>();
        owned.forEach(name -> merged.put(name.normalized(), placeholder(name)));
        for (ProjectRecord p : store.projects()) {
            merged.put(p.name().normalized(), p);
        }
        List<ProjectSummary> summaries = merged.values().stream()
                .map(p -> new ProjectSummary(p.name(), p.displayName(), p.summary()))
                .collect(Collectors.toUnmodifiableList());
        List<String> lower = summaries.stream()
                .map(p -> p.summary().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableList());
        all = new AllProjects(stamp, List.copyOf(owned), summaries, lower, listVersions.incrementAndGet());
        allProjectsRead = all;
        return all;
    }

    /**
     * The recorded project of this name, from memory while the catalog's change stamp has not moved since it was read;
     * one cheap stamp read per call, no query.
     */
    private Optional<ProjectRecord> recorded(ProjectName name) {
        long stamp = store.changeStamp();
        Stamped known = records.getIfPresent(name.normalized());
        if (known != null && known.stamp() == stamp) {
            return known.record();
        }
        Optional<ProjectRecord> record = store.project(name); // read after the stamp: at least as new as it
        records.put(name.normalized(), new Stamped(stamp, record));
        return record;
    }

    /**
     * One page of the projects the principal may see: all of them by normalized name when {@code query} is blank,
     * else those whose normalized name contains the normalized query or whose summary contains the query (case
     * insensitive), ranked exact name, then name prefix, then name substring, then summary.
     *
     * @param page from 1; a page past the end is empty
     */
    public SearchResult search(String query, int page, int pageSize, Principal principal) {
        if (page < 1 || pageSize < 1) {
            throw new WheelwrightException(WheelwrightException.Kind.INVALID_INPUT, "Pages are numbered from 1.");
        }
        AllProjects list = allProjects();
        boolean everything = principal.projects().isEmpty();
        List<ProjectSummary> matches;
        int visible;
        String q = query.strip();
        if (q.isEmpty()) {
            matches = everything ? list.summaries() : projects(principal);
            visible = matches.size();
        } else {
            String name = ProjectName.normalize(q);
            String text = q.toLowerCase(Locale.ROOT);
            List<List<ProjectSummary>> ranks =
                    List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            visible = 0;
            List<ProjectSummary> summaries = list.summaries();
            for (int i = 0; i < summaries.size(); i++) {
                ProjectSummary p = summaries.get(i);
                String n = p.name().normalized();
                if (!everything && !principal.covers(n)) {
                    continue;
                }
                visible++;
                if (n.equals(name)) {
                    ranks.get(0).add(p);
                } else if (!name.isEmpty() && n.startsWith(name)) {
                    ranks.get(1).add(p);
                } else if (!name.isEmpty() && n.contains(name)) {
                    ranks.get(2).add(p);
                } else if (list.lowerSummaries().get(i).contains(text)) {
                    ranks.get(3).add(p);
                }
            }
            matches = ranks.stream().flatMap(List::stream).toList();
        }
        int pages = Math.max(1, (matches.size() + pageSize - 1) / pageSize);
        int from = (int) Math.min((long) (page - 1) * pageSize, matches.size());
        int to = Math.min(from + pageSize, matches.size());
        return new SearchResult(matches.subList(from, to), matches.size(), page, pages, visible);
    }

    /** The most recent releases (local files only) the principal may see, newest first, at most {@code limit}. */
    public List<RecentRelease> recent(int limit, Principal principal) {
        Map<String, RecentRelease> releases = new LinkedHashMap<>();
        for (StoredFile f : store.recentFiles(Math.max(limit * 20, 200))) {
            if (principal.covers(f.project().normalized())) {
                String key = f.project().normalized() + " " + f.version().normalized();
                releases.putIfAbsent(
                        key, new RecentRelease(f.project(), f.version().normalized(), f.uploadTime(), f.uploadedBy()));
            }
        }
        return releases.values().stream().limit(limit).toList();
    }

    /**
     * What a human page shows of the project, by the same decision as its simple page ({@link #resolve}).
     *
     * @throws ProjectNotFoundException when no source has it, or the requester may not see it
     */
    public ProjectPage page(ProjectName name, Principal principal) {
        return pages.page(name, resolve(name, principal));
    }

    /**
     * Yanks (PEP 592) every local file of a release, or takes the yank back ({@code reason} empty), bumping the
     * project's revision so cached pages change. The caller has checked that the principal may administer.
     *
     * @return how many files changed state
     * @throws ProjectNotFoundException when the project has no local file of that version, or is not visible
     */
    public int yank(ProjectName name, Version version, boolean yanked, String reason, Principal principal) {
        if (!principal.covers(name.normalized())) {
            throw notFound(name);
        }
        List<StoredFile> files = store.files(name).stream()
                .filter(f -> f.version().equals(version))
                .toList();
        if (files.isEmpty()) {
            throw new ProjectNotFoundException(
                    "No release " + version + " of project " + name.normalized() + " is kept in this index.");
        }
        int changed = 0;
        for (StoredFile f : files) {
            Optional<String> target = yanked ? Optional.of(reason) : Optional.empty();
            if (!f.yankedReason().equals(target) && store.setYanked(name, f.filename(), target)) {
                changed++;
            }
        }
        log.info("{} {} {} ({} files)", yanked ? "yanked" : "unyanked", name.normalized(), version, changed);
        return changed;
    }

    /** Whether the name is served locally (recorded, or owned by a local source): never from an upstream alone. */
    private boolean isLocal(ProjectName name) {
        return recorded(name).isPresent() || owner(name).isPresent();
    }

    /**
     * The project's record, for cache validation by revision; empty when unknown or not visible. A local source that
     * owns the name is given the chance to refresh first; an owned project with no files yet has revision 0.
     */
    public Optional<ProjectRevision> project(ProjectName name, Principal principal) {
        if (!principal.covers(name.normalized())) {
            return Optional.empty();
        }
        Optional<LocalSource> owner = owner(name);
        return revision(name, owner, owner.isPresent() ? Optional.empty() : Optional.of(recorded(name)));
    }

    private Optional<LocalSource> owner(ProjectName name) {
        for (LocalSource s : sources) {
            if (s.owns(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The revision of a local project: an owning source prepares it first (it may record files), so its record is
     * read after that; without an owner, {@code known} (the record already read for this request) serves.
     */
    private Optional<ProjectRevision> revision(
            ProjectName name, Optional<LocalSource> owner, Optional<Optional<ProjectRecord>> known) {
        owner.ifPresent(s -> s.prepare(name));
        Optional<ProjectRecord> recorded = owner.isPresent() || known.isEmpty() ? recorded(name) : known.get();
        if (recorded.isPresent() || owner.isEmpty()) {
            return recorded.map(IndexService::revision);
        }
        return Optional.of(revision(placeholder(name)));
    }

    private static ProjectRevision revision(ProjectRecord p) {
        return new ProjectRevision(p.name(), p.revision());
    }

    private static ListedFile listed(StoredFile f, Set<String> attested) {
        return new ListedFile(
                f.project(),
                f.filename(),
                f.sha256(),
                f.requiresPython(),
                f.yankedReason(),
                f.metadataSha256(),
                f.size(),
                f.uploadTime(),
                attested.contains(f.filename() + "\n" + f.sha256()));
    }

    private static ProjectRecord placeholder(ProjectName name) {
        return new ProjectRecord(name, name.original(), "", NEVER, 0);
    }

    /** The project's files and versions; {@link ProjectNotFoundException} when unknown or not visible. */
    public ProjectListing listing(ProjectName name, Principal principal) {
        if (!principal.covers(name.normalized())) {
            throw notFound(name);
        }
        ProjectRecord project = recorded(name)
                .or(() -> sources.stream().anyMatch(s -> s.owns(name))
                        ? Optional.of(placeholder(name))
                        : Optional.empty())
                .orElseThrow(() -> notFound(name));
        List<StoredFile> files = store.files(project.name());
        TreeMap<Version, String> versions = new TreeMap<>();
        for (StoredFile f : files) {
            versions.putIfAbsent(f.version(), f.version().normalized());
        }
        // a file has provenance when a build recorded it for these very bytes
        Set<String> attested = provenance.provenanceOf(project.name()).stream()
                .map(p -> p.filename() + "\n" + p.sha256())
                .collect(Collectors.toUnmodifiableSet());
        return new ProjectListing(
                revision(project),
                files.stream().map(f -> listed(f, attested)).toList(),
                List.copyOf(versions.values()));
    }

    /**
     * Which source serves the project's page for this requester.
     *
     * @throws ProjectNotFoundException when no source has it, or the requester may not see it
     */
    public Listing resolve(ProjectName name, Principal principal) {
        if (!principal.covers(name.normalized())) {
            throw notFound(name);
        }
        Optional<ProjectRecord> known = recorded(name);
        Optional<LocalSource> owner = owner(name);
        if (known.isEmpty() && owner.isEmpty()) { // not local: the upstream's alone, if any
            ProxiedListing proxied = upstream.flatMap(u -> u.listing(name)).orElseThrow(() -> notFound(name));
            return new Listing.Proxied(proxied);
        }
        ProjectRevision project = revision(name, owner, Optional.of(known)).orElseThrow(() -> notFound(name));
        if (upstream.isPresent() && mergeUpstream.contains(name.normalized())) {
            Optional<ProxiedListing> proxied;
            try {
                proxied = upstream.get().listing(name);
            } catch (WheelwrightException e) {
                log.warn("listing {} without its upstream files: {}", name.normalized(), e.getMessage());
                proxied = Optional.empty();
            }
            if (proxied.isPresent()) {
                return new Listing.Merged(listing(name, principal), proxied.get());
            }
        }
        return new Listing.Local(project, () -> listing(name, principal));
    }

    /** Whether upstream files may be served under this name: it is not local, or it is opted in to merging. */
    private boolean upstreamServes(ProjectName name) {
        return upstream.isPresent() && (mergeUpstream.contains(name.normalized()) || !isLocal(name));
    }

    /**
     * Where the bytes of one distribution file come from for this requester: a recorded file, else (when the name may
     * be served from upstream) the upstream's, cached or fetched now. A file at rest in a store that hands out direct
     * URLs ({@code storage.artifacts.redirect}) is a {@link FileSource.Redirect}.
     *
     * @throws ProjectNotFoundException when the file is not there or not visible
     * @throws dev.wheelwright.upstream.UpstreamNotFoundException when the upstream does not list it
     * @throws dev.wheelwright.upstream.UpstreamUnavailableException when the upstream fetch cannot start
     */
    public FileSource file(ProjectName name, String filename, Principal principal) {
        Optional<StoredFile> stored = recorded(name, filename, principal);
        if (stored.isPresent()) {
            StoredFile f = stored.get();
            Optional<URI> direct = blobs.directUrl(f.blob());
            if (direct.isPresent()) {
                return new FileSource.Redirect(f.sha256(), f.size(), f.uploadTime(), direct.get());
            }
            return new FileSource.Stored(f.sha256(), f.size(), f.uploadTime(), bytes(f.blob()));
        }
        UpstreamService.Delivery delivery = upstream.get().file(name, filename);
        if (delivery instanceof UpstreamService.Cached cached) {
            CachedUpstreamFile f = cached.file();
            Optional<URI> direct = blobs.directUrl(f.blob());
            if (direct.isPresent()) {
                return new FileSource.Redirect(f.sha256(), f.size(), f.cached(), direct.get());
            }
            return new FileSource.Cached(f.sha256(), f.size(), f.cached(), bytes(f.blob()));
        }
        UpstreamService.Streaming streaming = (UpstreamService.Streaming) delivery;
        return new FileSource.Streaming(streaming.body(), streaming.size(), streaming.sha256());
    }

    /**
     * The PEP 658 core metadata of one wheel for this requester: a recorded file's, else the upstream's.
     *
     * @throws ProjectNotFoundException when the file or its metadata is not there or not visible
     */
    public MetadataFile metadata(ProjectName name, String filename, Principal principal) {
        Optional<StoredFile> stored = recorded(name, filename, principal);
        if (stored.isPresent()) {
            StoredFile f = stored.get();
            BlobKey key = f.metadataBlob()
                    .orElseThrow(() -> new ProjectNotFoundException("No core metadata file for " + filename + "."));
            return new MetadataFile(f.metadataSha256().orElseThrow(), readAll(key));
        }
        CachedUpstreamFile m = upstream.get().metadata(name, filename);
        return new MetadataFile(m.sha256(), readAll(m.blob()));
    }

    /**
     * The recorded file, or empty when it is to be asked of the upstream.
     *
     * @throws ProjectNotFoundException when it is neither recorded nor may come from upstream, or is not visible
     */
    private Optional<StoredFile> recorded(ProjectName name, String filename, Principal principal) {
        if (!principal.covers(name.normalized())) {
            throw noFile(name, filename);
        }
        Optional<StoredFile> stored = store.file(name, filename);
        if (stored.isEmpty() && !upstreamServes(name)) {
            throw noFile(name, filename);
        }
        return stored;
    }

    private FileSource.Bytes bytes(BlobKey key) {
        return new FileSource.Bytes() {
            @Override
            public InputStream open() {
                return blobs.open(key).orElseThrow(() -> missing(key));
            }

            @Override
            public InputStream open(long start, long length) {
                return blobs.open(key, start, length).orElseThrow(() -> missing(key));
            }

            @Override
            public Optional<Path> file() {
                return blobs.localFile(key);
            }
        };
    }

    private byte[] readAll(BlobKey key) {
        try (InputStream in = blobs.open(key).orElseThrow(() -> missing(key))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("cannot read " + key, e);
        }
    }

    private static StorageException missing(BlobKey key) {
        return new StorageException("the bytes of " + key + " are missing from the artifact store");
    }

    private static ProjectNotFoundException noFile(ProjectName name, String filename) {
        return new ProjectNotFoundException("No file " + filename + " in project " + name.normalized() + ".");
    }

    private static ProjectNotFoundException notFound(ProjectName name) {
        return new ProjectNotFoundException("No project named " + name.normalized() + " in this index.");
    }
}

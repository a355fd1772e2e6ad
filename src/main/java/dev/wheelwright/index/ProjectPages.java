package dev.wheelwright.index;

import dev.wheelwright.python.CoreMetadata;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.InvalidDistributionException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.upstream.ProxiedFile;
import dev.wheelwright.upstream.ProxiedListing;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link ProjectPage}s from a {@link Listing}: files grouped by release, and the newest wheel's core metadata
 * (description, author, URLs), read once per project revision. Thread-safe.
 */
final class ProjectPages {
    private static final Logger log = LoggerFactory.getLogger(ProjectPages.class);
    private static final Comparator<Version> NEWEST_FIRST =
            Comparator.<Version>naturalOrder().reversed();

    private final ProjectCatalog store;
    private final BlobStore blobs;
    private final List<LocalSource> sources;
    /** The metadata part of each local project's page, by normalized name, for one revision. */
    private final Map<String, Described> described = new ConcurrentHashMap<>();

    /**
     * A local project's page without its origin, at one revision: the catalog's revision changes with every write to
     * the project, so a warm page reads no file rows. At most {@link #LOCAL_PAGES} projects are kept, the least
     * recently shown dropped first.
     */
    private record Local(
            long revision, String displayName, String summary, List<ProjectPage.Release> releases, Described about) {}

    private static final int LOCAL_PAGES = 512;

    private final Map<String, Local> locals = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Local> eldest) {
            return size() > LOCAL_PAGES;
        }
    };

    private record Described(
            long revision,
            Optional<ProjectPage.Description> description,
            Optional<String> author,
            List<ProjectPage.Link> urls) {}

    ProjectPages(ProjectCatalog store, BlobStore blobs, List<LocalSource> sources) {
        this.store = Objects.requireNonNull(store);
        this.blobs = Objects.requireNonNull(blobs);
        this.sources = List.copyOf(sources);
    }

    ProjectPage page(ProjectName name, Listing listing) {
        if (listing instanceof Listing.Local local) {
            return local(local.project(), List.of());
        }
        if (listing instanceof Listing.Proxied proxied) {
            ProxiedListing upstream = proxied.upstream();
            return new ProjectPage(
                    name,
                    name.original(),
                    "",
                    upstream.revision(),
                    new ProjectPage.Upstream(upstream.upstream(), false),
                    releases(List.of(), upstream.files()),
                    Optional.empty(),
                    Optional.empty(),
                    List.of());
        }
        Listing.Merged merged = (Listing.Merged) listing;
        ProjectPage page = local(merged.local().project(), merged.upstream().files());
        return new ProjectPage(
                page.name(),
                page.displayName(),
                page.summary(),
                page.revision(),
                new ProjectPage.Upstream(merged.upstream().upstream(), true),
                page.releases(),
                page.description(),
                page.author(),
                page.urls());
    }

    private ProjectPage local(ProjectRevision revision, List<ProxiedFile> upstreamFiles) {
        ProjectName name = revision.name();
        Local cached = upstreamFiles.isEmpty() ? cachedLocal(name.normalized()) : null;
        Local known = cached != null && cached.revision() == revision.revision()
                ? cached
                : readLocal(name, revision.revision(), upstreamFiles);
        if (known != cached && upstreamFiles.isEmpty()) {
            synchronized (locals) {
                locals.put(name.normalized(), known);
            }
        }
        ProjectPage.Origin origin = sources.stream()
                .map(s -> s.location(name))
                .flatMap(Optional::stream)
                .findFirst()
                .<ProjectPage.Origin>map(l -> new ProjectPage.Git(l.url(), l.subdirectory()))
                .orElse(new ProjectPage.Hosted());
        return new ProjectPage(
                name,
                known.displayName(),
                known.summary(),
                revision.revision(),
                origin,
                known.releases(),
                known.about().description(),
                known.about().author(),
                known.about().urls());
    }

    private Local cachedLocal(String normalized) {
        synchronized (locals) {
            return locals.get(normalized);
        }
    }

    /** What a local project's page shows at one revision, read from the store (the files, grouped by release). */
    private Local readLocal(ProjectName name, long revision, List<ProxiedFile> upstreamFiles) {
        String displayName = name.original();
        String summary = "";
        var record = store.project(name);
        if (record.isPresent()) {
            displayName = record.get().displayName();
            summary = record.get().summary();
        }
        List<StoredFile> files = store.files(name);
        return new Local(
                revision,
                displayName,
                summary,
                List.copyOf(releases(files, upstreamFiles)),
                describe(name, revision, files));
    }

    private static List<ProjectPage.Release> releases(List<StoredFile> local, List<ProxiedFile> upstream) {
        TreeMap<Version, List<ProjectPage.File>> byVersion = new TreeMap<>(NEWEST_FIRST);
        for (StoredFile f : local) {
            byVersion
                    .computeIfAbsent(f.version(), v -> new ArrayList<>())
                    .add(new ProjectPage.File(
                            f.filename(),
                            f.sha256(),
                            Optional.of(f.size()),
                            f.requiresPython(),
                            f.yankedReason(),
                            Optional.of(f.uploadTime()),
                            Optional.of(f.uploadedBy()),
                            f.metadataSha256().isPresent()));
        }
        for (ProxiedFile f : upstream) {
            Version version;
            try {
                version = DistributionFilename.parse(f.filename()).version();
            } catch (InvalidDistributionException e) {
                continue; // the simple page lists it; a release page cannot place it
            }
            byVersion
                    .computeIfAbsent(version, v -> new ArrayList<>())
                    .add(new ProjectPage.File(
                            f.filename(),
                            f.sha256(),
                            f.size(),
                            f.requiresPython(),
                            f.yanked(),
                            f.uploadTime(),
                            Optional.empty(),
                            f.metadataSha256().isPresent()));
        }
        List<ProjectPage.Release> releases = new ArrayList<>(byVersion.size());
        byVersion.forEach((version, files) -> {
            boolean allYanked = files.stream().allMatch(f -> f.yankedReason().isPresent());
            Optional<String> reason = allYanked
                    ? files.stream()
                            .map(f -> f.yankedReason().orElse(""))
                            .filter(r -> !r.isEmpty())
                            .findFirst()
                            .or(() -> Optional.of(""))
                    : Optional.empty();
            releases.add(new ProjectPage.Release(
                    version.normalized(), version.isPrerelease() || version.isDevrelease(), reason, files));
        });
        return releases;
    }

    /** The latest release's wheel metadata, read once per project revision. */
    private Described describe(ProjectName name, long revision, List<StoredFile> files) {
        Described cached = described.get(name.normalized());
        if (cached != null && cached.revision() == revision) {
            return cached;
        }
        // the latest release's: a final, unyanked one before any pre-release or yanked one
        Optional<StoredFile> newest = files.stream()
                .filter(f -> f.metadataBlob().isPresent())
                .max(Comparator.comparing((StoredFile f) ->
                                !f.version().isPrerelease() && !f.version().isDevrelease())
                        .thenComparing(f -> f.yankedReason().isEmpty())
                        .thenComparing(StoredFile::version)
                        .thenComparing(StoredFile::uploadTime));
        Described about = newest.flatMap(f -> read(f.metadataBlob().orElseThrow()))
                .map(m -> described(revision, m))
                .orElse(new Described(revision, Optional.empty(), Optional.empty(), List.of()));
        described.put(name.normalized(), about);
        return about;
    }

    private Optional<CoreMetadata> read(BlobKey key) {
        try (InputStream in = blobs.open(key).orElse(null)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(CoreMetadata.parse(in.readAllBytes()));
        } catch (IOException | RuntimeException e) {
            // a page without a README is still a page; the file itself stays served as recorded
            log.warn("cannot read the core metadata {}: {}", key, e.getMessage());
            return Optional.empty();
        }
    }

    private static Described described(long revision, CoreMetadata m) {
        Optional<ProjectPage.Description> description = m.description()
                .filter(d -> !d.isBlank())
                .map(d -> new ProjectPage.Description(d, contentType(m.first("Description-Content-Type"))));
        Optional<String> author = m.first("Author")
                .filter(a -> !a.isBlank())
                .or(() -> m.first("Author-email").filter(a -> !a.isBlank()));
        Map<String, ProjectPage.Link> urls = new LinkedHashMap<>();
        m.first("Home-page").filter(u -> !u.isBlank()).ifPresent(u -> urls.put(u, new ProjectPage.Link("Homepage", u)));
        for (String entry : m.all("Project-URL")) {
            int comma = entry.indexOf(',');
            if (comma > 0) {
                String url = entry.substring(comma + 1).trim();
                urls.putIfAbsent(
                        url, new ProjectPage.Link(entry.substring(0, comma).trim(), url));
            }
        }
        return new Described(revision, description, author, List.copyOf(urls.values()));
    }

    /** The media type of a Description-Content-Type, lower case, parameters dropped; text/x-rst when absent. */
    private static String contentType(Optional<String> header) {
        String type = header.orElse("text/x-rst");
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}

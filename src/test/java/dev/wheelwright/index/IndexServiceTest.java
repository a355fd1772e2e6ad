package dev.wheelwright.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.common.Json;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.InMemoryBlobStore;
import dev.wheelwright.storage.InMemoryProjectCatalog;
import dev.wheelwright.storage.InMemoryUpstreamCache;
import dev.wheelwright.storage.StorageFixtures;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.MutableClock;
import dev.wheelwright.testing.Wheels;
import dev.wheelwright.upstream.PageParser;
import dev.wheelwright.upstream.UpstreamIndex;
import dev.wheelwright.upstream.UpstreamMetrics;
import dev.wheelwright.upstream.UpstreamService;
import dev.wheelwright.upstream.file.FileUpstreamIndex;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one door for a name's source: which listing and which file source a name resolves to, the dependency-confusion
 * rule included, over a real file-tree upstream that counts the pages it is asked for.
 */
class IndexServiceTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final ProjectName DEMO = ProjectName.parse("demo");

    @TempDir
    Path dir;

    private final InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final AtomicInteger pagesAsked = new AtomicInteger();
    private UpstreamService upstream;
    private String upstreamWheel;

    /** The upstream tree lists one wheel of {@code demo}; every page request is counted. */
    @BeforeEach
    void upstream() throws Exception {
        Path files = Files.createDirectories(dir.resolve("tree/files"));
        Files.createDirectories(dir.resolve("tree/simple/demo"));
        Path wheel = Wheels.simple(files, "demo", "9.0", "2.1");
        upstreamWheel = wheel.getFileName().toString();
        Files.writeString(dir.resolve("tree/simple/demo/index.json"), """
                {"meta": {"api-version": "1.1"}, "name": "demo", "versions": ["9.0"], "files": [
                  {"filename": "%s", "url": "../../files/%s", "hashes": {"sha256": "%s"}, "size": %d}]}
                """.formatted(
                        upstreamWheel, upstreamWheel, Sha256.hex(Files.readAllBytes(wheel)), Files.size(wheel)));
        UpstreamIndex tree =
                new FileUpstreamIndex("tree", dir.resolve("tree/simple").toUri(), new PageParser(Json.newMapper()));
        UpstreamIndex counting = new UpstreamIndex() {
            @Override
            public String name() {
                return tree.name();
            }

            @Override
            public PageFetch page(ProjectName project, Optional<String> etag, Optional<String> lastModified) {
                pagesAsked.incrementAndGet();
                return tree.page(project, etag, lastModified);
            }

            @Override
            public Download open(URI url) {
                return tree.open(url);
            }
        };
        upstream = new UpstreamService(
                List.of(counting),
                new InMemoryUpstreamCache(),
                blobs,
                Files.createDirectories(dir.resolve("tmp")),
                new MutableClock(NOW),
                new UpstreamService.Settings(Duration.ofMinutes(10), false, Duration.ZERO),
                Json.newMapper(),
                new UpstreamMetrics());
    }

    private IndexService index(Set<String> merge) {
        return new IndexService(
                catalog,
                blobs,
                List.of(),
                Optional.of(upstream),
                merge,
                new dev.wheelwright.storage.InMemoryProvenanceStore());
    }

    /** Records a local wheel of demo 1.0 whose bytes are {@code bytes}. */
    private StoredFile recordLocal(byte[] bytes) throws Exception {
        StoredFile template = StorageFixtures.wheel("demo", "1.0", NOW);
        String sha = Sha256.hex(bytes);
        BlobKey key = BlobKey.forContent(sha, ".whl");
        Path temp = Files.write(dir.resolve("local.whl"), bytes);
        blobs.put(key, temp, Sha256.hex(temp));
        StoredFile file = new StoredFile(
                template.project(),
                template.version(),
                template.filename(),
                template.packagetype(),
                bytes.length,
                sha,
                key,
                template.requiresPython(),
                Optional.empty(),
                Optional.empty(),
                NOW,
                Optional.empty(),
                "ci");
        catalog.addFile(file, "demo", "a local demo");
        return file;
    }

    @Test
    void a_name_no_local_source_has_is_proxied() {
        Listing listing = index(Set.of()).resolve(DEMO, Principal.ANONYMOUS);

        assertThat(listing).isInstanceOf(Listing.Proxied.class);
        assertThat(((Listing.Proxied) listing).upstream().versions()).containsExactly("9.0");
    }

    @Test
    void a_local_name_is_never_asked_upstream_and_its_upstream_files_are_not_served() throws Exception {
        recordLocal(new byte[] {1, 2, 3});
        IndexService index = index(Set.of());

        Listing listing = index.resolve(DEMO, Principal.ANONYMOUS);

        assertThat(listing).isInstanceOf(Listing.Local.class);
        assertThat(((Listing.Local) listing).files().get().versions()).containsExactly("1.0");
        assertThatThrownBy(() -> index.file(DEMO, upstreamWheel, Principal.ANONYMOUS))
                .isInstanceOf(ProjectNotFoundException.class)
                .hasMessage("No file " + upstreamWheel + " in project demo.");
        assertThat(pagesAsked).hasValue(0);
    }

    @Test
    void a_local_name_opted_in_is_merged_with_its_upstream_files() throws Exception {
        recordLocal(new byte[] {1, 2, 3});

        Listing listing = index(Set.of("Demo")).resolve(DEMO, Principal.ANONYMOUS);

        assertThat(listing).isInstanceOf(Listing.Merged.class);
        Listing.Merged merged = (Listing.Merged) listing;
        assertThat(merged.local().versions()).containsExactly("1.0");
        assertThat(merged.upstream().versions()).containsExactly("9.0");
        assertThat(index(Set.of("demo")).file(DEMO, upstreamWheel, Principal.ANONYMOUS))
                .isNotInstanceOf(FileSource.Stored.class);
    }

    @Test
    void a_recorded_file_is_stored_and_readable_whole_and_by_range() throws Exception {
        StoredFile recorded = recordLocal(new byte[] {10, 20, 30, 40});

        FileSource source = index(Set.of()).file(DEMO, recorded.filename(), Principal.ANONYMOUS);

        assertThat(source).isInstanceOf(FileSource.Stored.class);
        FileSource.Stored stored = (FileSource.Stored) source;
        assertThat(stored.sha256()).isEqualTo(recorded.sha256());
        assertThat(stored.size()).isEqualTo(4);
        try (InputStream whole = stored.bytes().open();
                InputStream part = stored.bytes().open(1, 2)) {
            assertThat(whole.readAllBytes()).containsExactly(10, 20, 30, 40);
            assertThat(part.readAllBytes()).containsExactly(20, 30);
        }
    }

    @Test
    void an_upstream_file_streams_on_first_request_then_comes_from_the_cache() throws Exception {
        IndexService index = index(Set.of());
        FileSource first = index.file(DEMO, upstreamWheel, Principal.ANONYMOUS);
        assertThat(first).isInstanceOf(FileSource.Streaming.class);
        try (InputStream in = ((FileSource.Streaming) first).body()) {
            in.readAllBytes(); // ends only once verified and stored
        }

        FileSource second = index.file(DEMO, upstreamWheel, Principal.ANONYMOUS);

        assertThat(second).isInstanceOf(FileSource.Cached.class);
    }

    @Test
    void a_token_limited_to_other_projects_sees_neither_listing_nor_file() throws Exception {
        StoredFile recorded = recordLocal(new byte[] {1});
        Principal acmeOnly = new Principal("acme", Set.of(), Optional.of(Pattern.compile("acme-.*")));
        IndexService index = index(Set.of());

        assertThatThrownBy(() -> index.resolve(DEMO, acmeOnly)).isInstanceOf(ProjectNotFoundException.class);
        assertThatThrownBy(() -> index.file(DEMO, recorded.filename(), acmeOnly))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThatThrownBy(() -> index.file(DEMO, upstreamWheel, acmeOnly))
                .isInstanceOf(ProjectNotFoundException.class);
        assertThat(pagesAsked).hasValue(0);
    }

    @Test
    void without_an_upstream_an_unknown_name_is_not_found() {
        IndexService index = IndexService.local(catalog, blobs, new dev.wheelwright.storage.InMemoryProvenanceStore());

        assertThatThrownBy(() -> index.resolve(DEMO, Principal.ANONYMOUS))
                .isInstanceOf(ProjectNotFoundException.class)
                .hasMessage("No project named demo in this index.");
    }

    @Test
    void a_page_request_reads_the_catalog_only_after_its_change_stamp_moved() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        InMemoryProjectCatalog counting = new InMemoryProjectCatalog() {
            @Override
            public synchronized Optional<dev.wheelwright.storage.ProjectRecord> project(ProjectName name) {
                lookups.incrementAndGet();
                return super.project(name);
            }
        };
        IndexService index = new IndexService(
                counting,
                blobs,
                List.of(),
                Optional.empty(),
                Set.of(),
                new dev.wheelwright.storage.InMemoryProvenanceStore());
        StoredFile first = StorageFixtures.wheel("demo", "1.0", NOW);
        counting.addFile(first, "demo", "");

        for (int i = 0; i < 100; i++) {
            assertThat(index.resolve(DEMO, Principal.ANONYMOUS)).isInstanceOf(Listing.Local.class);
        }
        int afterWarmUp = lookups.get();
        counting.addFile(StorageFixtures.wheel("demo", "2.0", NOW), "demo", "");
        Listing.Local after = (Listing.Local) index.resolve(DEMO, Principal.ANONYMOUS);

        assertThat(afterWarmUp).isEqualTo(1);
        assertThat(after.project().revision()).isEqualTo(2);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void the_project_list_keeps_its_version_until_the_catalog_changes() {
        IndexService index = IndexService.local(catalog, blobs, new dev.wheelwright.storage.InMemoryProvenanceStore());
        catalog.addFile(StorageFixtures.wheel("alpha", "1.0", NOW), "alpha", "");
        ProjectList first = index.projectList(Principal.ANONYMOUS);
        ProjectList again = index.projectList(Principal.ANONYMOUS);
        catalog.addFile(StorageFixtures.wheel("beta", "1.0", NOW), "beta", "");
        ProjectList changed = index.projectList(Principal.ANONYMOUS);
        Principal limited = new Principal("acme", Set.of(), Optional.of(Pattern.compile("beta")));

        assertThat(again.version()).isEqualTo(first.version()).isPresent();
        assertThat(changed.version()).isNotEqualTo(first.version()).isPresent();
        assertThat(changed.projects()).extracting(p -> p.name().normalized()).containsExactly("alpha", "beta");
        assertThat(index.projectList(limited).version()).isEmpty();
        assertThat(index.projectList(limited).projects())
                .extracting(p -> p.name().normalized())
                .containsExactly("beta");
    }
}

package dev.wheelwright.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.common.Json;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.InMemoryBlobStore;
import dev.wheelwright.storage.InMemoryUpstreamCache;
import dev.wheelwright.testing.MutableClock;
import dev.wheelwright.testing.Wheels;
import dev.wheelwright.upstream.file.FileUpstreamIndex;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UpstreamService over a real file tree upstream (wrapped to count and to fail on demand) and in-memory stores. */
class UpstreamServiceTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final ProjectName DEMO = ProjectName.parse("demo");

    @TempDir
    Path dir;

    private final InMemoryUpstreamCache store = new InMemoryUpstreamCache();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final MutableClock clock = new MutableClock(NOW);
    private Switchable upstream;
    private Path oldWheel;
    private Path newWheel;

    /** A real upstream that counts page requests and can be made to fail. */
    static final class Switchable implements UpstreamIndex {
        private final UpstreamIndex real;
        final AtomicInteger pages = new AtomicInteger();
        final AtomicInteger notModified = new AtomicInteger();
        volatile boolean down;

        Switchable(UpstreamIndex real) {
            this.real = real;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public PageFetch page(ProjectName project, Optional<String> etag, Optional<String> lastModified) {
            pages.incrementAndGet();
            if (down) {
                throw new UpstreamUnavailableException("Upstream " + name() + " is down.");
            }
            PageFetch fetch = real.page(project, etag, lastModified);
            if (fetch instanceof NotModified) {
                notModified.incrementAndGet();
            }
            return fetch;
        }

        @Override
        public Download open(URI url) {
            if (down) {
                throw new UpstreamUnavailableException("Upstream " + name() + " is down.");
            }
            return real.open(url);
        }
    }

    @BeforeEach
    void tree() throws Exception {
        Path files = Files.createDirectories(dir.resolve("tree/files"));
        Files.createDirectories(dir.resolve("tree/simple/demo"));
        oldWheel = Wheels.simple(files, "demo", "1.0", "2.1");
        newWheel = Wheels.simple(files, "demo", "2.0", "2.1");
        Files.writeString(dir.resolve("tree/simple/demo/index.json"), """
                {"meta": {"api-version": "1.4"}, "name": "demo", "versions": ["1.0", "2.0"], "files": [
                  {"filename": "%s", "url": "../../files/%s", "hashes": {"sha256": "%s"}, "size": %d,
                   "upload-time": "%s"},
                  {"filename": "%s", "url": "../../files/%s", "hashes": {"sha256": "%s"}, "size": %d,
                   "upload-time": "%s"}]}
                """.formatted(
                        oldWheel.getFileName(),
                        oldWheel.getFileName(),
                        sha(oldWheel),
                        Files.size(oldWheel),
                        NOW.minus(Duration.ofDays(30)),
                        newWheel.getFileName(),
                        newWheel.getFileName(),
                        sha(newWheel),
                        Files.size(newWheel),
                        NOW.minus(Duration.ofHours(1))));
        upstream = new Switchable(
                new FileUpstreamIndex("tree", dir.resolve("tree/simple").toUri(), new PageParser(Json.newMapper())));
    }

    private UpstreamService service(Duration ttl, boolean offline, Duration quarantine) throws IOException {
        return new UpstreamService(
                List.of(upstream),
                store,
                blobs,
                Files.createDirectories(dir.resolve("tmp")),
                clock,
                new UpstreamService.Settings(ttl, offline, quarantine),
                Json.newMapper(),
                new UpstreamMetrics());
    }

    private UpstreamService service() throws IOException {
        return service(Duration.ofMinutes(10), false, Duration.ZERO);
    }

    private static String sha(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void a_listing_is_served_from_the_cache_for_the_ttl_then_revalidated() throws Exception {
        UpstreamService service = service();

        ProxiedListing first = service.listing(DEMO).orElseThrow();
        service.listing(DEMO);
        clock.advance(Duration.ofMinutes(11));
        ProxiedListing revalidated = service.listing(DEMO).orElseThrow();

        assertThat(first.versions()).containsExactly("1.0", "2.0");
        assertThat(first.files())
                .extracting(ProxiedFile::size)
                .containsOnly(Optional.of(Files.size(oldWheel)), Optional.of(Files.size(newWheel)));
        assertThat(upstream.pages).hasValue(2);
        assertThat(upstream.notModified).hasValue(1);
        assertThat(revalidated.files()).isEqualTo(first.files());
    }

    @Test
    void a_stale_listing_is_served_when_the_upstream_fails_and_survives_a_restart() throws Exception {
        service().listing(DEMO);
        upstream.down = true;
        clock.advance(Duration.ofHours(2));

        Optional<ProxiedListing> stale = service().listing(DEMO); // a new service: only the store remembers

        assertThat(stale).isPresent();
        assertThat(upstream.pages).hasValue(2);
        assertThatThrownBy(() -> service().listing(ProjectName.parse("other")))
                .isInstanceOf(UpstreamUnavailableException.class)
                .hasMessageContaining("other");
    }

    @Test
    void offline_serves_only_what_is_cached() throws Exception {
        UpstreamService online = service();
        online.listing(DEMO);
        assertThat(online.file(DEMO, oldWheel.getFileName().toString())).isInstanceOf(UpstreamService.Streaming.class);
        waitUntilCached(oldWheel.getFileName().toString());
        clock.advance(Duration.ofDays(365));

        UpstreamService offline = service(Duration.ofMinutes(10), true, Duration.ZERO);

        assertThat(offline.listing(DEMO)).isPresent();
        assertThat(offline.file(DEMO, oldWheel.getFileName().toString())).isInstanceOf(UpstreamService.Cached.class);
        assertThatThrownBy(() -> offline.file(DEMO, newWheel.getFileName().toString()))
                .isInstanceOf(UpstreamNotFoundException.class)
                .hasMessageContaining("offline");
        assertThat(offline.listing(ProjectName.parse("other"))).isEmpty();
        assertThat(upstream.pages).hasValue(1);
    }

    private void waitUntilCached(String filename) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.cachedUpstreamFile(filename).isEmpty()) {
            assertThat(System.nanoTime()).as("cached within 30 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(
                    Duration.ofMillis(5).toNanos());
        }
    }

    @Test
    void quarantine_holds_back_files_younger_than_the_configured_age() throws Exception {
        UpstreamService service = service(Duration.ofMinutes(10), false, Duration.ofDays(3));

        ProxiedListing held = service.listing(DEMO).orElseThrow();

        assertThat(held.files())
                .extracting(ProxiedFile::filename)
                .containsExactly(oldWheel.getFileName().toString());
        assertThat(held.versions()).containsExactly("1.0");
        assertThatThrownBy(() -> service.file(DEMO, newWheel.getFileName().toString()))
                .isInstanceOf(UpstreamNotFoundException.class);
        clock.advance(Duration.ofDays(3));
        assertThat(service.listing(DEMO).orElseThrow().versions()).containsExactly("1.0", "2.0");
    }

    @Test
    void a_cached_wheel_gets_its_metadata_extracted_and_advertised() throws Exception {
        UpstreamService service = service();
        service.listing(DEMO);
        String filename = oldWheel.getFileName().toString();
        try (var in = ((UpstreamService.Streaming) service.file(DEMO, filename)).body()) {
            assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(oldWheel));
        }
        waitUntilCached(filename + ".metadata");

        var metadata = service.metadata(DEMO, filename);

        assertThat(new String(blobs.open(metadata.blob()).orElseThrow().readAllBytes()))
                .contains("Name: demo");
        assertThat(service.listing(DEMO).orElseThrow().files().get(0).metadataSha256())
                .contains(metadata.sha256());
    }
}

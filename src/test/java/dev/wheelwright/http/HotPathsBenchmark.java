package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.common.Json;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.Listing;
import dev.wheelwright.index.ProjectListing;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.PackageType;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.storage.fs.FileSystemBlobStore;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmarks of the hot paths of a page request: the warm page (the index's decision with the catalog's change
 * stamp, then the rendered-page cache), a cold render of a 500-file page, version parsing and ordering, and Accept
 * negotiation. Run with {@code scripts/bench-jmh}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotPathsBenchmark {
    private static final ProjectName BENCH = ProjectName.parse("bench");
    private static final String PIP_ACCEPT =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";

    private Path dir;
    private JdbcStorage storage;
    private IndexService index;
    private SimplePages pages;
    private ProjectListing listing;
    private List<String> versions;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("wheelwright-jmh");
        storage = JdbcStorage.openSqlite(dir.resolve("wheelwright.db"));
        for (int i = 0; i < 500; i++) {
            String version = "1." + (i / 2) + ".0";
            String filename = i % 2 == 0 ? "bench-" + version + ".tar.gz" : "bench-" + version + "-py3-none-any.whl";
            String sha = String.format("%064x", i + 1);
            storage.catalog()
                    .addFile(
                            new StoredFile(
                                    BENCH,
                                    Version.parse(version),
                                    filename,
                                    i % 2 == 0 ? PackageType.SDIST : PackageType.BDIST_WHEEL,
                                    12_345 + i,
                                    sha,
                                    BlobKey.forContent(sha, ".whl"),
                                    Optional.of(">=3.8"),
                                    i % 2 == 0 ? Optional.empty() : Optional.of(sha),
                                    Optional.empty(),
                                    Instant.now(),
                                    Optional.empty(),
                                    "bench"),
                            "bench",
                            "benchmark project");
        }
        index = IndexService.local(
                storage.catalog(),
                new FileSystemBlobStore(dir.resolve("blobs"), Clock.systemUTC()),
                storage.provenance());
        pages = new SimplePages(Json.newMapper(), Optional.empty());
        listing = index.listing(BENCH, Principal.ANONYMOUS);
        versions = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            versions.add(
                    switch (i % 5) {
                        case 0 -> "1." + i + ".0";
                        case 1 -> "2." + i + "rc1";
                        case 2 -> "0." + i + ".post2";
                        case 3 -> "3!1." + i + ".dev4";
                        default -> "1.0." + i + "+local.7";
                    });
        }
        Collections.shuffle(versions, new java.util.Random(7));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        storage.close();
        dev.wheelwright.common.FileTrees.delete(dir);
    }

    /** What a warm project-page request does between parsing and sending: the one door, then the page cache. */
    @Benchmark
    public SimplePages.Rendered warmProjectPage() {
        Listing.Local local = (Listing.Local) index.resolve(BENCH, Principal.ANONYMOUS);
        return pages.project(local.project(), MediaTypes.V1_JSON, local.files());
    }

    /** Rendering the PEP 691 JSON page of 500 files (a cache miss, once per change of the project). */
    @Benchmark
    public SimplePages.Rendered coldRender500Files() {
        return new SimplePages(Json.newMapper(), Optional.empty())
                .project(listing.project(), MediaTypes.V1_JSON, () -> listing);
    }

    /** Parsing 1,000 PEP 440 versions of every shape and sorting them. */
    @Benchmark
    public List<Version> parseAndSort1000Versions() {
        List<Version> parsed = new ArrayList<>(versions.size());
        for (String v : versions) {
            parsed.add(Version.parse(v));
        }
        Collections.sort(parsed);
        return parsed;
    }

    /** pip's Accept header negotiated to a media type. */
    @Benchmark
    public MediaTypes negotiatePipAccept() {
        return MediaTypes.negotiate(Optional.empty(), Optional.of(PIP_ACCEPT));
    }

    /** The catalog's change stamp of a quiet database (every page request reads it). */
    @Benchmark
    public long changeStampQuiet() {
        return storage.catalog().changeStamp();
    }
}

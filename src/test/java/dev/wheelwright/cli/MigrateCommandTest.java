package dev.wheelwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.builds.BuildLogs;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.config.ConfigLoader;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.BuildStatus;
import dev.wheelwright.storage.BuilderIdentity;
import dev.wheelwright.storage.CachedUpstreamFile;
import dev.wheelwright.storage.ListedBlob;
import dev.wheelwright.storage.PendingNotification;
import dev.wheelwright.storage.ProvenanceStoreContract;
import dev.wheelwright.storage.SigningKeyRecord;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredBuild;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.storage.UpstreamSnapshot;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import dev.wheelwright.upload.UploadService;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #11: {@code migrate} copies an install's whole storage to another, verifies every blob, and can be run again. Here
 * from one embedded install to another; {@link MigrateToPostgresTest} runs the same tests into PostgreSQL.
 */
class MigrateCommandTest {
    private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");
    private static final String LOG = "build of demo 1.0 ...\nSUCCEEDED\n";
    private static final byte[] CACHED = "an upstream wheel's bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path source;
    private Path target;

    /** The {@code storage:} keys of the target beside its data dir (none: the embedded store). */
    protected String targetStorage() {
        return "";
    }

    /** The environment the commands run with (e.g. the target's database password). */
    protected Map<String, String> env() {
        return Map.of();
    }

    @BeforeEach
    void populatedSource() throws Exception {
        source = config("a", "");
        target = config("b", targetStorage());
        Path wheels = Files.createDirectories(dir.resolve("wheels")); // hosted: imported
        Wheels.simple(wheels, "other", "2.0", "2.1");
        Path built = Wheels.simple(Files.createDirectories(dir.resolve("built")), "demo", "1.0", "2.1");
        assertThat(run("--config", source.toString(), "import", wheels.toString())
                        .code())
                .isZero();
        assertThat(run("--config", source.toString(), "token", "create", "--name", "ci", "--scope", "upload")
                        .code())
                .isZero();
        try (Wiring wiring = wiring(source)) {
            Wiring.Storage storage = wiring.openStorage();
            new UploadService(storage.store().catalog(), storage.blobs(), storage.tmpDir(), 1 << 20, Clock.systemUTC())
                    .importFile(built, "build"); // stored as a git build stores what it built
            ProjectName demo = ProjectName.parse("demo");
            storage.store()
                    .builds()
                    .addBuild(new StoredBuild(
                            demo,
                            Version.parse("1.0"),
                            "v1.0",
                            "c".repeat(40),
                            BuildStatus.SUCCEEDED,
                            Optional.empty(),
                            T,
                            Optional.of(T),
                            Optional.of(T.plusSeconds(9)),
                            BuilderIdentity.UNKNOWN));
            Path log = storage.dataDir().resolve("builds/demo/1.0.log"); // where earlier releases kept logs
            Files.createDirectories(log.getParent());
            Files.writeString(log, LOG);
            Path cached = Files.write(dir.resolve("cached.whl"), CACHED);
            String sha = Sha256.hex(cached);
            BlobKey key = BlobKey.forContent(sha, ".whl");
            storage.blobs().put(key, cached, sha);
            ProjectName six = ProjectName.parse("six");
            storage.store()
                    .upstreamCache()
                    .addCachedUpstreamFile(
                            new CachedUpstreamFile("six-1.16.0-py2.py3-none-any.whl", six, sha, CACHED.length, key, T));
            storage.store()
                    .outbox()
                    .add(new PendingNotification(
                            0,
                            "https://hooks.example.com/a",
                            "upload",
                            "{}",
                            T,
                            2,
                            T.plusSeconds(60),
                            Optional.of("503")));
            storage.store()
                    .upstreamCache()
                    .putUpstreamSnapshot(new UpstreamSnapshot(
                            six,
                            "https://pypi.org/simple/",
                            "{\"files\": []}",
                            Optional.of("\"e1\""),
                            Optional.empty(),
                            T));
            // #9: the provenance of the built wheel and the key it is signed with
            storage.store()
                    .provenance()
                    .putProvenance(ProvenanceStoreContract.provenance(
                            "demo", "demo-1.0-py3-none-any.whl", Sha256.hex(built), Optional.of("f".repeat(40))));
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            storage.store()
                    .provenance()
                    .addSigningKey(new SigningKeyRecord(
                            "Ed25519",
                            Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
                            Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                            T));
        }
    }

    @Test
    void every_record_blob_token_build_log_and_cache_entry_is_copied_and_verified() throws Exception {
        Run migrate = run("migrate", "--from", source.toString(), "--to", target.toString());

        assertThat(migrate.code()).as(migrate.out()).isZero();
        assertThat(migrate.out())
                .contains("blobs: 5 copied") // a hosted and a built wheel, their metadata files, a cached upstream file
                .contains("0 already in place")
                .contains("build logs: 1 copied")
                .contains("projects: 2 rows, 2 added")
                .contains("files: 2 rows, 2 added")
                .contains("tokens: 1 rows, 1 added")
                .contains("builds: 1 rows, 1 added")
                .contains("upstream_snapshots: 1 rows, 1 added")
                .contains("upstream_files: 1 rows, 1 added")
                .contains("notification_outbox: 1 rows, 1 added")
                .contains("file_provenance: 1 rows, 1 added")
                .contains("signing_keys: 1 rows, 1 added")
                .contains("migrated ");
        try (Wiring from = wiring(source);
                Wiring to = wiring(target)) {
            Wiring.Storage a = from.openStorage();
            Wiring.Storage b = to.openStorage();
            assertThat(b.store().catalog().projects())
                    .isEqualTo(a.store().catalog().projects());
            for (String name : new String[] {"demo", "other"}) {
                ProjectName project = ProjectName.parse(name);
                assertThat(b.store().catalog().files(project))
                        .isEqualTo(a.store().catalog().files(project));
                for (StoredFile file : b.store().catalog().files(project)) {
                    assertThat(sha256(b.blobs(), file.blob())).isEqualTo(file.sha256());
                }
            }
            assertThat(b.store().tokens().tokens()).isEqualTo(a.store().tokens().tokens());
            assertThat(b.store().provenance().provenanceOf(ProjectName.parse("demo")))
                    .hasSize(1)
                    .isEqualTo(a.store().provenance().provenanceOf(ProjectName.parse("demo")));
            assertThat(b.store().provenance().signingKey())
                    .isPresent()
                    .isEqualTo(a.store().provenance().signingKey());
            assertThat(b.store().builds().builds(ProjectName.parse("demo")))
                    .isEqualTo(a.store().builds().builds(ProjectName.parse("demo")));
            ProjectName six = ProjectName.parse("six");
            assertThat(b.store().upstreamCache().upstreamSnapshot(six))
                    .isEqualTo(a.store().upstreamCache().upstreamSnapshot(six));
            CachedUpstreamFile cached = b.store()
                    .upstreamCache()
                    .cachedUpstreamFile("six-1.16.0-py2.py3-none-any.whl")
                    .orElseThrow();
            assertThat(sha256(b.blobs(), cached.blob())).isEqualTo(cached.sha256());
            Instant now = T.plusSeconds(3600);
            assertThat(b.store().outbox().due(now, 10))
                    .isEqualTo(a.store().outbox().due(now, 10));
            PendingNotification later = b.store() // the target numbers new notifications after the copied ones
                    .outbox()
                    .add(new PendingNotification(
                            0, "https://hooks.example.com/b", "build", "{}", T, 0, T, Optional.empty()));
            assertThat(later.id())
                    .isGreaterThan(a.store().outbox().due(now, 10).get(0).id());
            try (InputStream log = b.blobs()
                    .open(BuildLogs.key(ProjectName.parse("demo"), Version.parse("1.0")))
                    .orElseThrow()) {
                assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo(LOG);
            }
        }

        try (TestServer before = TestServer.startWithStorage(Files.readString(source), env());
                TestServer after = TestServer.startWithStorage(Files.readString(target), env())) {
            for (String page : List.of("/simple/", "/simple/demo/", "/simple/other/")) {
                for (String accept : List.of("text/html", "application/vnd.pypi.simple.v1+json")) {
                    HttpResponse<byte[]> old = before.get(page, "Accept", accept);
                    HttpResponse<byte[]> migrated = after.get(page, "Accept", accept);
                    assertThat(old.statusCode()).isEqualTo(200);
                    assertThat(migrated.statusCode()).isEqualTo(200);
                    assertThat(new String(migrated.body(), StandardCharsets.UTF_8))
                            .as("%s as %s, served from the migrated store", page, accept)
                            .isEqualTo(new String(old.body(), StandardCharsets.UTF_8));
                }
            }
            for (String file : List.of(
                    "/files/demo/demo-1.0-py3-none-any.whl", "/files/demo/demo-1.0-py3-none-any.whl.metadata")) {
                assertThat(after.get(file).body()).isEqualTo(before.get(file).body());
            }
        }

        Run again = run("migrate", "--from", source.toString(), "--to", target.toString());

        assertThat(again.code()).as(again.out()).isZero();
        assertThat(again.out())
                .contains("blobs: 0 copied (0 bytes), 5 already in place")
                .contains("build logs: 0 copied")
                .contains("files: 2 rows, 0 added")
                .contains("tokens: 1 rows, 0 added");
    }

    @Test
    void an_interrupted_migration_copies_no_row_whose_blob_is_missing_and_a_second_run_finishes_it() throws Exception {
        try (Wiring from = wiring(source);
                Wiring to = wiring(target)) {
            Wiring.Storage a = from.openStorage();
            Wiring.Storage b = to.openStorage();
            AtomicInteger puts = new AtomicInteger();
            Wiring.Storage failing =
                    new Wiring.Storage(b.store(), new FailingAfter(b.blobs(), 2, puts), b.tmpDir(), b.dataDir());
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            Migration.Summary interrupted = new Migration(a, failing, new PrintStream(out, true)).run();

            assertThat(interrupted.problems()).isNotEmpty();
            assertThat(interrupted.tables()).isEmpty();
            assertThat(b.store().catalog().projects()).isEmpty();
            assertThat(b.store().tokens().tokens()).isEmpty();

            Migration.Summary finished = new Migration(a, b, new PrintStream(out, true)).run();

            assertThat(finished.problems()).isEmpty();
            assertThat(finished.blobsPresent()).isEqualTo(2);
            assertThat(finished.blobsCopied()).isEqualTo(3);
            assertThat(b.store().catalog().projects())
                    .isEqualTo(a.store().catalog().projects());
            for (JdbcStorage.BlobReference reference : b.store().blobReferences()) {
                assertThat(sha256(b.blobs(), reference.key())).isEqualTo(reference.sha256());
            }
        }
    }

    @Test
    void a_corrupt_source_blob_is_reported_and_no_row_is_copied() throws Exception {
        try (Wiring from = wiring(source)) {
            Wiring.Storage a = from.openStorage();
            StoredFile demo =
                    a.store().catalog().files(ProjectName.parse("demo")).get(0);
            Path bad = Files.writeString(dir.resolve("bad"), "not the wheel");
            a.blobs().put(demo.blob(), bad, Sha256.hex(bad));
        }

        Run migrate = run("migrate", "--from", source.toString(), "--to", target.toString());

        assertThat(migrate.code()).isEqualTo(1);
        assertThat(migrate.err())
                .contains("the source's bytes have sha256")
                .contains("no rows were copied; run migrate again once they are fixed");
        try (Wiring to = wiring(target)) {
            assertThat(to.openStorage().store().catalog().projects()).isEmpty();
        }
    }

    @Test
    void the_same_embedded_store_on_both_sides_is_a_usage_error() {
        Run migrate = run("migrate", "--from", source.toString(), "--to", source.toString());

        assertThat(migrate.code()).isEqualTo(2);
        assertThat(migrate.err()).contains("--from and --to name the same storage");
    }

    // --- fixtures

    /** A blob store that fails every put after the first {@code allowed}. */
    private record FailingAfter(BlobStore delegate, int allowed, AtomicInteger puts) implements BlobStore {
        @Override
        public void put(BlobKey key, Path file, String sha256) {
            if (puts.incrementAndGet() > allowed) {
                throw new StorageException("the bucket went away");
            }
            delegate.put(key, file, sha256);
        }

        @Override
        public List<ListedBlob> writtenBefore(Instant before) {
            return delegate.writtenBefore(before);
        }

        @Override
        public void checkReachable() {
            delegate.checkReachable();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public Optional<InputStream> open(BlobKey key) {
            return delegate.open(key);
        }

        @Override
        public Optional<InputStream> open(BlobKey key, long offset, long length) {
            return delegate.open(key, offset, length);
        }

        @Override
        public boolean exists(BlobKey key) {
            return delegate.exists(key);
        }

        @Override
        public boolean delete(BlobKey key) {
            return delegate.delete(key);
        }
    }

    private Path config(String name, String storage) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "storage:\n  data-dir: \"" + dir.resolve("data-" + name) + "\"\n" + storage);
        return file;
    }

    private Wiring wiring(Path config) {
        return new Wiring(new ConfigLoader(env()).load(config), env());
    }

    private static String sha256(BlobStore blobs, BlobKey key) throws Exception {
        try (InputStream in = blobs.open(key).orElseThrow()) {
            return Sha256.hex(in.readAllBytes());
        }
    }

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WheelwrightCommand.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env(),
                args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

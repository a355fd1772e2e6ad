package dev.wheelwright.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.builds.BuildRecord.Status;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.InMemoryBlobStore;
import dev.wheelwright.storage.InMemoryBuildStore;
import dev.wheelwright.storage.InMemoryLeases;
import dev.wheelwright.storage.InMemoryProjectCatalog;
import dev.wheelwright.storage.InMemoryProvenanceStore;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.Wheels;
import dev.wheelwright.upload.UploadService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #9: BuildVerifier over in-memory stores and a builder that reproduces its first wheel byte for byte (unless told
 * to differ); the real backends are in ReproducibleBuildsIT.
 */
class BuildVerifierTest {
    private static final ProjectName DEMO = ProjectName.parse("demo");
    private static final Version V1 = Version.parse("1.0.0");

    @TempDir
    Path dir;

    private final InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();
    private final InMemoryBuildStore store = new InMemoryBuildStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final ReproducingBuilder builder = new ReproducingBuilder();
    private BuildService builds;
    private BuildVerifier verifier;

    @BeforeEach
    void build_demo() {
        UploadService uploads = new UploadService(catalog, blobs, dir.resolve("spool"), 1 << 20, Clock.systemUTC());
        builds = new BuildService(
                        store,
                        catalog,
                        uploads,
                        builder,
                        dir.resolve("work"),
                        new BuildLogs(dir.resolve("logs"), blobs),
                        1,
                        Clock.systemUTC(),
                        r -> Optional.empty(),
                        new SimpleMeterRegistry(),
                        r -> {},
                        new BuildService.Coordination(new InMemoryLeases(), "replica", Duration.ofSeconds(3)),
                        "build-host",
                        new BuildService.Provenance(new InMemoryProvenanceStore(), "9.9.9-test"))
                .start("http://127.0.0.1:9/simple/");
        verifier = new BuildVerifier(builds, catalog, blobs, dir.resolve("work"), Clock.systemUTC());
        Path project = SourceProjects.hatchling(dir.resolve("projects"), "demo", "1.0.0");
        builds.submit(SourceProjects.request("demo", "1.0.0", "v1.0.0", project));
        assertThat(builds.await("demo", "1.0.0", Duration.ofSeconds(30))
                        .orElseThrow()
                        .status())
                .isEqualTo(Status.SUCCEEDED);
    }

    @AfterEach
    void stop() {
        builder.gate.countDown();
        builds.close();
    }

    @Test
    void rebuilds_in_another_directory_with_the_commit_time_and_records_nothing() {
        BuildRecord before = builds.build("demo", "1.0.0");
        List<StoredFile> filesBefore = catalog.files(DEMO);
        int blobsBefore = blobs.size();

        Verification v = verifier.verify(DEMO, V1);

        assertThat(v.reproducible()).isTrue();
        assertThat(v.sourceDate()).contains(SourceProjects.DirectoryTree.COMMITTED);
        assertThat(v.files()).singleElement().satisfies(f -> {
            assertThat(f.filename()).isEqualTo("demo-1.0.0-py3-none-any.whl");
            assertThat(f.identical()).isTrue();
            assertThat(f.rebuiltSha256()).isEqualTo(f.storedSha256()).isEqualTo(f.recordedSha256());
        });
        assertThat(builder.jobs).hasSize(2);
        assertThat(builder.jobs)
                .allSatisfy(job -> assertThat(job.sourceDate()).isEqualTo(SourceProjects.DirectoryTree.COMMITTED));
        Path built = builder.jobs.get(0).source();
        Path rebuilt = builder.jobs.get(1).source();
        assertThat(rebuilt).isNotEqualTo(built);
        assertThat(rebuilt.getParent().getFileName().toString()).startsWith("verify-");
        assertThat(rebuilt.getParent()).doesNotExist();
        assertThat(builds.build("demo", "1.0.0")).isEqualTo(before);
        assertThat(catalog.files(DEMO)).isEqualTo(filesBefore);
        assertThat(blobs.size()).isEqualTo(blobsBefore);
    }

    @Test
    void a_file_that_rebuilds_differently_is_named_and_the_stored_one_kept() {
        StoredFile stored = catalog.files(DEMO).get(0);
        builder.differ = true;

        Verification v = verifier.verify(DEMO, V1);

        assertThat(v.reproducible()).isFalse();
        Verification.FileCheck check = v.files().get(0);
        assertThat(check.identical()).isFalse();
        assertThat(check.storedSha256()).contains(stored.sha256());
        assertThat(check.rebuiltSha256()).isPresent().isNotEqualTo(Optional.of(stored.sha256()));
        assertThat(catalog.files(DEMO)).containsExactly(stored);
    }

    @Test
    void a_failed_rebuild_is_reported_with_its_reason_and_log_not_thrown() {
        builder.fail = true;

        Verification v = verifier.verify(DEMO, V1);

        assertThat(v.reproducible()).isFalse();
        assertThat(v.error()).contains("the fake backend failed");
        assertThat(v.logTail()).hasValueSatisfying(t -> assertThat(t).contains("fake build output"));
        assertThat(v.files()).singleElement().satisfies(f -> {
            assertThat(f.rebuiltSha256()).isEmpty();
            assertThat(f.identical()).isFalse();
        });
    }

    @Test
    void a_second_verification_of_a_release_while_one_runs_is_refused() throws Exception {
        builder.gate = new CountDownLatch(1);
        builder.started = new CountDownLatch(1);
        CompletableFuture<Verification> first = CompletableFuture.supplyAsync(() -> verifier.verify(DEMO, V1));
        assertThat(builder.started.await(30, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> verifier.verify(DEMO, V1))
                .isInstanceOf(VerifyRefusedException.class)
                .hasMessage("A verification of demo 1.0.0 is running already; wait for its answer.");
        builder.gate.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS).reproducible()).isTrue();
        assertThat(verifier.verify(DEMO, V1).reproducible()).isTrue(); // and afterwards it runs again
    }

    @Test
    void an_unknown_or_unfinished_release_is_refused_before_anything_runs() {
        builder.gate = new CountDownLatch(1);
        Path project = SourceProjects.hatchling(dir.resolve("projects-2"), "demo", "2.0.0");
        builds.submit(SourceProjects.request("demo", "2.0.0", "v2.0.0", project));

        assertThatThrownBy(() -> verifier.verify(DEMO, Version.parse("3.0")))
                .isInstanceOf(BuildNotFoundException.class)
                .hasMessage("No build of demo 3.0 is known.");
        assertThatThrownBy(() -> verifier.verify(DEMO, Version.parse("2.0.0")))
                .isInstanceOf(VerifyRefusedException.class)
                .hasMessage("The build of demo 2.0.0 has not finished yet; verify it once it has succeeded.");
    }

    /** Writes the same wheel bytes every time (a reproducible backend), or other bytes when told to differ. */
    private static final class ReproducingBuilder implements WheelBuilder {
        final List<Job> jobs = Collections.synchronizedList(new ArrayList<>());
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch started = new CountDownLatch(0);
        volatile boolean differ;
        volatile boolean fail;
        private volatile byte[] first;

        @Override
        public List<Path> build(Job job) {
            jobs.add(job);
            started.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new BuildFailedException("the test never opened the gate");
                }
                job.environmentReady() // as the WheelBuilder contract says: once, before the backend runs
                        .accept(new Environment(
                                "fake.backend",
                                Optional.of("1.0"),
                                Optional.of("3.11.2"),
                                "env-1",
                                List.of("fake-backend"),
                                List.of("fake-backend==1.0")));
                Files.writeString(job.log(), "fake build output\n", StandardOpenOption.APPEND);
                if (fail) {
                    throw new BuildFailedException("the fake backend failed");
                }
                Path wheel = Wheels.simple(
                        job.outDir(), job.project().normalized(), job.version().normalized(), "2.1");
                if (first == null) {
                    first = Files.readAllBytes(wheel);
                } else {
                    byte[] bytes = first.clone();
                    if (differ) {
                        bytes[bytes.length / 2] ^= 0x01; // a verification compares bytes, it parses nothing
                    }
                    Files.write(wheel, bytes);
                }
                return List.of(wheel);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BuildFailedException("interrupted");
            }
        }
    }
}

package dev.wheelwright.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.builds.BuildRecord.Status;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BuildStatus;
import dev.wheelwright.storage.BuilderIdentity;
import dev.wheelwright.storage.FileProvenance;
import dev.wheelwright.storage.InMemoryBlobStore;
import dev.wheelwright.storage.InMemoryBuildStore;
import dev.wheelwright.storage.InMemoryLeases;
import dev.wheelwright.storage.InMemoryProjectCatalog;
import dev.wheelwright.storage.InMemoryProvenanceStore;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredBuild;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.SourceProjects;
import dev.wheelwright.testing.Wheels;
import dev.wheelwright.upload.UploadService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BuildService with in-memory stores and a builder that writes a small wheel (the real builder is in BuildsIT). */
class BuildServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();
    private final InMemoryBuildStore store = new InMemoryBuildStore();
    private final AtomicInteger failLeases = new AtomicInteger();
    private final InMemoryLeases leases = new InMemoryLeases() {
        @Override
        public synchronized boolean acquire(String resource, String owner, Instant now, Instant until) {
            if (failLeases.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StorageException("the database is unreachable");
            }
            return super.acquire(resource, owner, now, until);
        }
    };
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final InMemoryProvenanceStore provenance = new InMemoryProvenanceStore();
    private final FakeBuilder builder = new FakeBuilder();
    private final List<BuildService> services = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<BuildRecord> events = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        builder.release.countDown();
        services.forEach(BuildService::close);
    }

    @Test
    void six_concurrent_submits_and_awaits_of_one_release_build_it_once() throws Exception {
        BuildService service = service(2, r -> Optional.empty());
        BuildRequest request = SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo"));

        List<Optional<BuildRecord>> results = concurrently(6, i -> {
            service.submit(request);
            return service.await("demo", "1.0.0", WAIT);
        });

        assertThat(results).allSatisfy(r -> assertThat(r.orElseThrow().status()).isEqualTo(Status.SUCCEEDED));
        assertThat(builder.invocations.get()).isEqualTo(1);
        assertThat(service.builds("demo")).hasSize(1);
        assertThat(catalog.files(ProjectName.parse("demo")))
                .extracting(StoredFile::filename)
                .containsExactly("demo-1.0.0-py3-none-any.whl");
    }

    @Test
    void records_the_provenance_of_every_stored_file_with_the_stored_bytes_digest() throws Exception {
        BuildService service = service(1, r -> Optional.empty());
        Path demo = project("demo");
        String treeSha256 = SourceDigest.of(demo);

        service.submit(SourceProjects.request("demo", "1.0.0", "v1.0.0", demo));
        service.await("demo", "1.0.0", WAIT);

        StoredFile wheel = catalog.files(ProjectName.parse("demo")).get(0);
        FileProvenance p = provenance.provenance(wheel.filename()).orElseThrow();
        BuildRecord build = service.build("demo", "1.0.0");
        assertThat(p.sha256()).isEqualTo(wheel.sha256());
        assertThat(p.source().repository()).isEqualTo(demo.toUri().toString());
        assertThat(p.source().tag()).isEqualTo("v1.0.0");
        assertThat(p.source().commit()).isEqualTo(build.commit());
        assertThat(p.source().tagObject()).isEmpty();
        assertThat(p.source().treeSha256()).isEqualTo(treeSha256);
        assertThat(p.builder())
                .isEqualTo(new FileProvenance.Builder(
                        "9.9.9-test",
                        "build-host-1",
                        "fake.backend",
                        Optional.of("9.8.7"),
                        Optional.of("3.99.1"),
                        "env-1",
                        List.of("fake-backend>=9"),
                        List.of("build==1.2.1", "fake-backend==9.8.7")));
        assertThat(p.started()).isEqualTo(build.started().orElseThrow());
        assertThat(p.finished()).isBetween(p.started(), build.finished().orElseThrow());
    }

    @Test
    void a_finished_release_is_not_built_again_by_a_later_submit_or_a_new_service() {
        BuildService first = service(1, r -> Optional.empty());
        BuildRequest request = SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo"));
        first.submit(request);
        first.await("demo", "1.0.0", WAIT);
        first.close();

        BuildService second = service(1, r -> Optional.empty());
        BuildRecord again = second.submit(request);

        assertThat(again.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(second.await("demo", "1.0.0", WAIT).orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
        assertThat(builder.invocations.get()).isEqualTo(1);
    }

    @Test
    void two_replicas_asked_for_one_release_at_once_build_it_once_and_both_answer() throws Exception {
        builder.release = new CountDownLatch(1);
        BuildService a = service(1, r -> Optional.empty());
        BuildService b = service(1, r -> Optional.empty());
        BuildRequest request = SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo"));

        List<Optional<BuildRecord>> results = concurrently(4, i -> {
            BuildService replica = i % 2 == 0 ? a : b;
            replica.submit(request);
            if (i == 0) {
                builder.started.await(10, TimeUnit.SECONDS);
                Thread.sleep(1500); // the other replica's worker meets the live lease and follows the record
                builder.release.countDown();
            }
            return replica.await("demo", "1.0.0", WAIT);
        });

        assertThat(results).allSatisfy(r -> assertThat(r.orElseThrow().status()).isEqualTo(Status.SUCCEEDED));
        assertThat(builder.invocations.get()).isEqualTo(1);
        assertThat(a.builds("demo")).isEqualTo(b.builds("demo"));
        for (BuildService replica : List.of(a, b)) { // each has its own log directory: one fetches the kept log
            assertThat(Files.readString(replica.log("demo", "1.0.0")))
                    .contains("fake build output")
                    .contains("SUCCEEDED");
        }
        assertThat(leases.holder("build:demo:1.0.0")).isEmpty(); // released once recorded
    }

    @Test
    void a_build_whose_replica_died_is_taken_over_once_its_lease_expires() throws IOException {
        Path demo = project("demo");
        Instant died = Instant.now();
        store.addBuild(new StoredBuild(
                ProjectName.parse("demo"),
                Version.parse("1.0.0"),
                "v1.0.0",
                "a".repeat(40),
                BuildStatus.RUNNING,
                Optional.empty(),
                died,
                Optional.of(died),
                Optional.empty(),
                BuilderIdentity.UNKNOWN));
        Instant expires = died.plusSeconds(3);
        leases.acquire("build:demo:1.0.0", "killed-replica", died, expires);

        BuildService survivor =
                service(1, r -> Optional.of(SourceProjects.request(r.project(), r.version(), r.tag(), demo)));
        assertThat(survivor.await("demo", "1.0.0", Duration.ofMillis(500))
                        .orElseThrow()
                        .status())
                .isEqualTo(Status.RUNNING); // the dead replica's lease is still live: nobody touches the build

        BuildRecord done = awaitStatus(survivor, "demo", "1.0.0", Status.SUCCEEDED, Duration.ofSeconds(10));

        assertThat(builder.invocations.get()).isEqualTo(1);
        assertThat(done.started().orElseThrow()).isAfterOrEqualTo(expires.truncatedTo(ChronoUnit.MICROS));
        assertThat(leases.holder("build:demo:1.0.0")).isEmpty();
    }

    @Test
    void a_store_failure_while_taking_a_lease_leaves_nothing_claimed_and_a_later_submit_builds() {
        failLeases.set(1); // the first acquire fails, as when the database is briefly unreachable
        BuildService service = service(1, r -> Optional.empty());
        BuildRequest request = SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo"));

        service.submit(request);
        BuildRecord first = service.await("demo", "1.0.0", WAIT).orElseThrow();
        service.submit(request); // a later page request or poll submits it again

        assertThat(first.status()).isEqualTo(Status.QUEUED);
        assertThat(service.await("demo", "1.0.0", WAIT).orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
        assertThat(builder.invocations.get()).isEqualTo(1);
    }

    @Test
    void retry_and_restart_leave_alone_a_build_another_replica_is_running() {
        Instant now = Instant.now();
        StoredBuild running = new StoredBuild(
                ProjectName.parse("demo"),
                Version.parse("1.0.0"),
                "v1.0.0",
                "a".repeat(40),
                BuildStatus.RUNNING,
                Optional.empty(),
                now,
                Optional.of(now),
                Optional.empty(),
                BuilderIdentity.UNKNOWN);
        store.addBuild(running);
        leases.acquire("build:demo:1.0.0", "busy-replica", now, now.plusSeconds(60));
        List<BuildRecord> recovered = Collections.synchronizedList(new ArrayList<>());

        BuildService starting = service(1, r -> {
            recovered.add(r);
            return Optional.of(SourceProjects.request(r.project(), r.version(), r.tag(), project("demo")));
        });
        BuildRecord afterRetry = starting.retry("demo", "1.0.0");

        assertThat(afterRetry.status()).isEqualTo(Status.RUNNING);
        assertThat(recovered).isEmpty();
        assertThat(store.build(ProjectName.parse("demo"), Version.parse("1.0.0")))
                .contains(dev.wheelwright.storage.StorageFixtures.micros(running));
        assertThat(builder.invocations.get()).isZero();
    }

    @Test
    void a_build_of_another_version_than_the_tag_fails_naming_both_and_stores_nothing() throws IOException {
        builder.builtVersion = Optional.of("2.0.0");
        BuildService service = service(1, r -> Optional.empty());

        service.submit(SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo")));
        BuildRecord failed = service.await("demo", "1.0.0", WAIT).orElseThrow();

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.reason()).contains("built version 2.0.0 differs from tag v1.0.0's version 1.0.0");
        assertThat(failed.started()).isPresent();
        assertThat(failed.finished()).isPresent();
        assertThat(catalog.files(ProjectName.parse("demo"))).isEmpty();
        assertThat(Files.readString(service.log("demo", "1.0.0")))
                .contains("fake build output")
                .contains("FAILED: built version 2.0.0 differs from tag v1.0.0's version 1.0.0");
    }

    @Test
    void a_failed_build_is_not_retried_by_submits_but_by_retry() {
        builder.fail = true;
        BuildService service = service(1, r -> Optional.empty());
        BuildRequest request = SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo"));
        service.submit(request);
        assertThat(service.await("demo", "1.0.0", WAIT).orElseThrow().reason()).contains("the fake backend failed");

        service.submit(request);
        service.submit(request);
        assertThat(service.await("demo", "1.0.0", WAIT).orElseThrow().status()).isEqualTo(Status.FAILED);
        assertThat(builder.invocations.get()).isEqualTo(1);

        builder.fail = false;
        BuildRecord queued = service.retry("demo", "1.0.0");
        BuildRecord done = service.await("demo", "1.0.0", WAIT).orElseThrow();

        assertThat(queued.status()).isIn(Status.QUEUED, Status.RUNNING, Status.SUCCEEDED);
        assertThat(queued.reason()).isEmpty();
        assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(builder.invocations.get()).isEqualTo(2);
    }

    @Test
    void retry_refuses_a_succeeded_build_an_unknown_one_and_one_whose_source_is_unknown() {
        BuildService first = service(1, r -> Optional.empty());
        first.submit(SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo")));
        first.await("demo", "1.0.0", WAIT);
        builder.fail = true;
        first.submit(SourceProjects.request("demo", "2.0.0", "v2.0.0", project("demo")));
        first.await("demo", "2.0.0", WAIT);
        first.close();
        BuildService restarted = service(1, r -> Optional.empty());

        assertThatThrownBy(() -> restarted.retry("demo", "1.0.0"))
                .isInstanceOf(RetryRefusedException.class)
                .hasMessageContaining("succeeded");
        assertThatThrownBy(() -> restarted.retry("demo", "3.0.0")).isInstanceOf(BuildNotFoundException.class);
        assertThatThrownBy(() -> restarted.retry("demo", "2.0.0"))
                .isInstanceOf(RetryRefusedException.class)
                .hasMessageContaining("not known");
    }

    @Test
    void builds_left_queued_or_running_by_a_previous_process_are_built_at_start() throws IOException {
        Path demo = project("demo");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        store.addBuild(new StoredBuild(
                ProjectName.parse("demo"),
                Version.parse("1.0.0"),
                "v1.0.0",
                "a".repeat(40),
                BuildStatus.RUNNING,
                Optional.empty(),
                t,
                Optional.of(t),
                Optional.empty(),
                BuilderIdentity.UNKNOWN));
        store.addBuild(new StoredBuild(
                ProjectName.parse("demo"),
                Version.parse("2.0.0"),
                "v2.0.0",
                "b".repeat(40),
                BuildStatus.QUEUED,
                Optional.empty(),
                t,
                Optional.empty(),
                Optional.empty(),
                BuilderIdentity.UNKNOWN));
        List<String> recovered = Collections.synchronizedList(new ArrayList<>());

        BuildService service = service(1, r -> {
            recovered.add(r.version() + " " + r.status());
            return Optional.of(SourceProjects.request(r.project(), r.version(), r.tag(), demo));
        });

        assertThat(service.await("demo", "1.0.0", WAIT).orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
        assertThat(service.await("demo", "2.0.0", WAIT).orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
        assertThat(recovered).containsExactly("1.0.0 QUEUED", "2.0.0 QUEUED");
        assertThat(builder.invocations.get()).isEqualTo(2);
    }

    @Test
    void an_unfinished_build_whose_source_is_unknown_at_start_is_built_when_submitted_again() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        store.addBuild(new StoredBuild(
                ProjectName.parse("demo"),
                Version.parse("1.0.0"),
                "v1.0.0",
                "a".repeat(40),
                BuildStatus.RUNNING,
                Optional.empty(),
                t,
                Optional.of(t),
                Optional.empty(),
                BuilderIdentity.UNKNOWN));
        BuildService service = service(1, r -> Optional.empty());
        assertThat(service.await("demo", "1.0.0", Duration.ofMillis(50))
                        .orElseThrow()
                        .status())
                .isEqualTo(Status.QUEUED);

        service.submit(SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo")));

        assertThat(service.await("demo", "1.0.0", WAIT).orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
    }

    @Test
    void queued_builds_run_newest_version_first_and_an_awaited_one_goes_ahead() throws Exception {
        builder.release = new CountDownLatch(1);
        BuildService service = service(1, r -> Optional.empty());
        Path demo = project("demo");
        service.submit(SourceProjects.request("demo", "0.1.0", "v0.1.0", demo)); // occupies the only worker
        builder.started.await(10, TimeUnit.SECONDS);
        for (String v : List.of("1.0.0", "3.0.0", "2.0.0", "1.5.0")) {
            service.submit(SourceProjects.request("demo", v, "v" + v, demo));
        }
        service.await("demo", "1.0.0", Duration.ofMillis(1)); // someone waits for 1.0.0: it goes first

        builder.release.countDown();
        for (String v : List.of("1.0.0", "3.0.0", "2.0.0", "1.5.0")) { // awaiting promotes: wait in the expected order
            service.await("demo", v, WAIT);
        }

        assertThat(builder.order).containsExactly("0.1.0", "1.0.0", "3.0.0", "2.0.0", "1.5.0");
        assertThat(service.builds("demo"))
                .extracting(BuildRecord::version)
                .containsExactly("3.0.0", "2.0.0", "1.5.0", "1.0.0", "0.1.0");
    }

    @Test
    void builds_are_timed_by_outcome_and_failures_counted_by_the_stage_they_failed_in() {
        BuildService service = service(1, r -> Optional.empty());
        service.submit(SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo")));
        service.await("demo", "1.0.0", WAIT);
        builder.fail = true;
        service.submit(SourceProjects.request("other", "1.0.0", "v1.0.0", project("other")));
        service.await("other", "1.0.0", WAIT);
        builder.fail = false;
        builder.builtVersion = Optional.of("2.0.0");
        service.submit(SourceProjects.request("third", "1.0.0", "v1.0.0", project("third")));
        service.await("third", "1.0.0", WAIT);

        assertThat(meters.get("wheelwright.build.duration")
                        .tag("outcome", "succeeded")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("wheelwright.build.duration")
                        .tag("outcome", "failed")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(meters.get("wheelwright.build.failures")
                        .tag("reason", "build")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("wheelwright.build.failures")
                        .tag("reason", "check")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("wheelwright.builds.enqueued").counter().count()).isEqualTo(3);
        assertThat(events)
                .extracting(BuildRecord::project, BuildRecord::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("demo", Status.QUEUED),
                        org.assertj.core.groups.Tuple.tuple("demo", Status.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("other", Status.QUEUED),
                        org.assertj.core.groups.Tuple.tuple("other", Status.FAILED),
                        org.assertj.core.groups.Tuple.tuple("third", Status.QUEUED),
                        org.assertj.core.groups.Tuple.tuple("third", Status.FAILED));
        assertThat(meters.get("wheelwright.builds.running").gauge().value()).isZero();
        assertThat(meters.get("wheelwright.builds.queued").gauge().value()).isZero();
    }

    @Test
    void a_subdirectory_that_does_not_exist_fails_the_build_with_a_reason() {
        BuildService service = service(1, r -> Optional.empty());
        BuildRequest plain = SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo"));
        BuildRequest request = new BuildRequest(
                plain.project(),
                plain.version(),
                plain.tag(),
                plain.commit(),
                Optional.of("libs/../../outside"),
                plain.source());

        service.submit(request);

        assertThat(service.await("demo", "1.0.0", WAIT).orElseThrow().reason())
                .contains("The subdirectory 'libs/../../outside' does not exist at tag v1.0.0.");
        assertThat(builder.invocations.get()).isZero();
    }

    // #10: the release page names who built it
    @Test
    void a_build_records_its_host_backend_and_python_whether_it_succeeds_or_fails() throws Exception {
        BuildService service = service(1, r -> Optional.empty());
        service.submit(SourceProjects.request("demo", "1.0.0", "v1.0.0", project("demo")));
        BuildRecord.Builder expected = new BuildRecord.Builder(
                Optional.of("build-host-1"), Optional.of("fake.backend"), Optional.of("9.8.7"), Optional.of("3.99.1"));

        BuildRecord built = service.await("demo", "1.0.0", WAIT).orElseThrow();
        builder.fail = true;
        service.submit(SourceProjects.request(
                "demo", "2.0.0", "v2.0.0", SourceProjects.hatchling(dir.resolve("projects2"), "demo", "2.0.0")));
        BuildRecord failed = service.await("demo", "2.0.0", WAIT).orElseThrow();

        assertThat(built.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(built.builder()).isEqualTo(expected);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.builder()).isEqualTo(expected);
        assertThat(Files.readString(service.log("demo", "1.0.0")))
                .contains("builder: host build-host-1, backend fake.backend 9.8.7, Python 3.99.1");
    }

    @Test
    void the_log_of_an_unknown_build_is_not_found() {
        BuildService service = service(1, r -> Optional.empty());

        assertThatThrownBy(() -> service.log("demo", "1.0.0")).isInstanceOf(BuildNotFoundException.class);
        assertThat(service.await("demo", "1.0.0", Duration.ofMillis(10))).isEmpty();
    }

    // --- fixtures

    private static BuildRecord awaitStatus(
            BuildService service, String project, String version, Status status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        BuildRecord seen =
                service.await(project, version, Duration.ofMillis(200)).orElseThrow();
        while (seen.status() != status && System.nanoTime() < deadline) {
            seen = service.await(project, version, Duration.ofMillis(200)).orElseThrow();
        }
        assertThat(seen.status()).isEqualTo(status);
        return seen;
    }

    private BuildService service(int workers, Function<BuildRecord, Optional<BuildRequest>> recover) {
        UploadService uploads = new UploadService(catalog, blobs, dir.resolve("spool"), 1 << 20, Clock.systemUTC());
        BuildService service = new BuildService(
                store,
                catalog,
                uploads,
                builder,
                dir.resolve("work"),
                new BuildLogs(dir.resolve("logs-" + services.size()), blobs),
                workers,
                Clock.systemUTC(),
                recover,
                meters,
                events::add,
                new BuildService.Coordination(leases, "replica-" + services.size(), Duration.ofSeconds(3)),
                "build-host-1",
                new BuildService.Provenance(provenance, "9.9.9-test"));
        services.add(service);
        return service.start("http://127.0.0.1:9/simple/");
    }

    private Path project(String name) {
        return SourceProjects.hatchling(dir.resolve("projects"), name, "1.0.0");
    }

    /** Writes a wheel of the job's project and version (or another version), counting and ordering invocations. */
    private static final class FakeBuilder implements WheelBuilder {
        final AtomicInteger invocations = new AtomicInteger();
        final List<String> order = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch started = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);
        volatile Optional<String> builtVersion = Optional.empty();
        volatile boolean fail;

        @Override
        public List<Path> build(Job job) {
            invocations.incrementAndGet();
            order.add(job.version().normalized());
            started.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new BuildFailedException("the test never released the build");
                }
                if (!Files.exists(job.source().resolve("pyproject.toml"))) {
                    throw new BuildFailedException("the exported tree has no pyproject.toml");
                }
                job.environmentReady()
                        .accept(new Environment(
                                "fake.backend",
                                Optional.of("9.8.7"),
                                Optional.of("3.99.1"),
                                "env-1",
                                List.of("fake-backend>=9"),
                                List.of("build==1.2.1", "fake-backend==9.8.7")));
                Files.writeString(job.log(), "fake build output\n", java.nio.file.StandardOpenOption.APPEND);
                if (fail) {
                    throw new BuildFailedException("the fake backend failed");
                }
                String version = builtVersion.orElse(job.version().normalized());
                return List.of(Wheels.simple(job.outDir(), job.project().normalized(), version, "2.1"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BuildFailedException("interrupted");
            }
        }
    }

    /** A task run by several threads released together. */
    @FunctionalInterface
    private interface Task<T> {
        T run(int thread) throws Exception;
    }

    private static <T> List<T> concurrently(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                Callable<T> call = () -> {
                    go.await();
                    return task.run(thread);
                };
                futures.add(pool.submit(call));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

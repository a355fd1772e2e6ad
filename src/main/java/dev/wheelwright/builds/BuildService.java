package dev.wheelwright.builds;

import dev.wheelwright.common.FileTrees;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.CoreMetadata;
import dev.wheelwright.python.DistributionArchive;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.SdistFilename;
import dev.wheelwright.python.Version;
import dev.wheelwright.python.WheelFilename;
import dev.wheelwright.storage.BuildStatus;
import dev.wheelwright.storage.BuildStore;
import dev.wheelwright.storage.BuilderIdentity;
import dev.wheelwright.storage.FileProvenance;
import dev.wheelwright.storage.Leases;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProvenanceStore;
import dev.wheelwright.storage.StoredBuild;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.upload.UploadService;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Builds releases from git tags, once each. A release (project, version) has one persisted build record however
 * often it is submitted, also across restarts; a bounded pool of workers takes queued builds newest version first
 * (a build someone is waiting for goes ahead of the rest), exports the tagged tree, runs the {@link WheelBuilder},
 * checks the artifacts against the tag and stores them like uploads. A failed build keeps its log and reason and is
 * not retried until {@link #retry} asks. Thread-safe.
 *
 * <p>Replicas: several servers may share one store. A worker runs a build only while it holds the release's lease
 * ({@link Leases}, resource {@code build:<project>:<version>}), renewed every second while the build runs, so a
 * release is built by one replica at a time; the others follow its record and answer their callers when it ends.
 * Every {@code leaseTime / 3} each replica looks for unfinished builds whose lease is free or expired (a replica
 * died, or shut down mid-build) and takes them over, so a build whose replica was killed is redone within
 * {@code leaseTime + leaseTime / 3} (40 s with the default 30 s lease).
 *
 * <p>Lifecycle: {@link #start} takes the index the builds install their requirements from (known once the server
 * listens, when that is this server's own), re-queues the builds a previous process left queued or running (for
 * those whose source {@code recover} can name; the others are re-queued when the git source submits them again) and
 * starts the workers; {@link #close} stops them, leaving an interrupted build recorded as running so the next start
 * redoes it.
 */
public final class BuildService implements Builds, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BuildService.class);
    /** Who a built file is recorded as uploaded by. */
    public static final String UPLOADER = "build";

    private final BuildStore store;
    private final ProjectCatalog catalog;
    private final UploadService uploads;
    private final WheelBuilder builder;
    private final Path workRoot;
    private final BuildLogs logs;
    private final int workers;
    private final Clock clock;
    private final Function<BuildRecord, Optional<BuildRequest>> recover;
    private final BuildMetrics metrics;
    private final Consumer<BuildRecord> events;
    private final Coordination coordination;
    private final String host;
    private final Provenance provenance;

    private final PriorityBlockingQueue<Job> queue = new PriorityBlockingQueue<>(16, Job.ORDER);
    /** Builds queued or running in this process. */
    private final Map<Key, Job> jobs = new ConcurrentHashMap<>();
    /** The request behind each build this process has seen, for retries. */
    private final Map<Key, BuildRequest> requests = new ConcurrentHashMap<>();
    /** Builds queued here that another replica holds the lease of: followed until they end or their lease expires. */
    private final Map<Key, Job> followed = new ConcurrentHashMap<>();
    /** Builds this process's workers hold the lease of and run. */
    private final Map<Key, Job> running = new ConcurrentHashMap<>();

    private final ScheduledExecutorService steward = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "wheelwright-build-leases");
        t.setDaemon(true);
        return t;
    });

    private final AtomicLong sequence = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile String indexUrl;
    private volatile boolean closed;

    /**
     * How this process shares builds with other replicas of one store.
     *
     * @param leases the leases every replica of the store shares
     * @param owner this process's name among the replicas, stable across its restarts where possible (a restarted
     *     replica takes over its own leases at once), distinct between replicas running at the same time
     * @param leaseTime how long a lease lasts without renewal: how long a killed replica's build waits for another
     */
    public record Coordination(Leases leases, String owner, Duration leaseTime) {
        public Coordination {
            Objects.requireNonNull(leases);
            Objects.requireNonNull(owner);
            if (leaseTime.compareTo(Duration.ofSeconds(3)) < 0) {
                throw new IllegalArgumentException("a lease lasts 3 s at least, it is renewed every second");
            }
        }
    }

    /**
     * Where the provenance of each built file is recorded (before the file itself is stored, so a stored file built
     * here always has it), and the Wheelwright version it names as the builder.
     */
    public record Provenance(ProvenanceStore store, String wheelwrightVersion) {
        public Provenance {
            Objects.requireNonNull(store);
            Objects.requireNonNull(wheelwrightVersion);
        }
    }

    /**
     * @param workRoot where each build gets a temporary directory (export, output, home), deleted afterwards
     * @param logs where build logs are written and kept
     * @param recover the request to rebuild a build record found unfinished at start or retried after a restart;
     *     empty when the project's source is not known (yet)
     * @param meters where the build meters are registered (see {@link BuildMetrics})
     * @param events told of each new build (queued: a tag was seen) and of each outcome (succeeded, failed); it must
     *     return quickly and not throw (notifications only write their outbox)
     * @param coordination the leases that make one replica of several build a release
     * @param host the name of this server's host, recorded as the builder of every build its workers run
     * @param provenance where the provenance of built files goes
     */
    public BuildService(
            BuildStore store,
            ProjectCatalog catalog,
            UploadService uploads,
            WheelBuilder builder,
            Path workRoot,
            BuildLogs logs,
            int workers,
            Clock clock,
            Function<BuildRecord, Optional<BuildRequest>> recover,
            MeterRegistry meters,
            Consumer<BuildRecord> events,
            Coordination coordination,
            String host,
            Provenance provenance) {
        this.provenance = Objects.requireNonNull(provenance);
        this.events = Objects.requireNonNull(events);
        this.coordination = Objects.requireNonNull(coordination);
        this.host = Objects.requireNonNull(host);
        this.store = Objects.requireNonNull(store);
        this.catalog = Objects.requireNonNull(catalog);
        this.uploads = Objects.requireNonNull(uploads);
        this.builder = Objects.requireNonNull(builder);
        this.workRoot = Objects.requireNonNull(workRoot);
        this.logs = Objects.requireNonNull(logs);
        if (workers < 1) {
            throw new IllegalArgumentException("at least one worker");
        }
        this.workers = workers;
        this.clock = Objects.requireNonNull(clock);
        this.recover = Objects.requireNonNull(recover);
        this.metrics = new BuildMetrics(Objects.requireNonNull(meters), queue::size);
    }

    /**
     * Re-queues what a previous process left unfinished and starts the workers, which install build requirements
     * from {@code indexUrl} (a PEP 503 simple index). Call once.
     */
    public synchronized BuildService start(String indexUrl) {
        this.indexUrl = Objects.requireNonNull(indexUrl);
        Instant now = now();
        for (StoredBuild unfinished : store.unfinishedBuilds()) {
            if (heldByAnother(Key.of(unfinished), now)) {
                continue; // another replica builds it; if it dies, the periodic look for orphans takes it up
            }
            StoredBuild queued = unfinished.requeuedAt(now);
            store.updateBuild(queued);
            Optional<BuildRequest> request = recover.apply(record(queued));
            if (request.isPresent()) {
                log.info("re-queueing the unfinished build of {} {}", queued.project(), queued.version());
                enqueue(request.get());
            }
        }
        for (int i = 1; i <= workers; i++) {
            Thread t = new Thread(this::work, "wheelwright-build-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long orphanScan = coordination.leaseTime().dividedBy(3).toMillis();
        steward.scheduleWithFixedDelay(this::tendLeases, 1000, 1000, TimeUnit.MILLISECONDS);
        steward.scheduleWithFixedDelay(this::adoptOrphans, orphanScan, orphanScan, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public synchronized BuildRecord submit(BuildRequest request) {
        Objects.requireNonNull(request);
        Key key = Key.of(request);
        Optional<StoredBuild> existing = store.build(key.project(), key.version());
        if (existing.isPresent()) {
            StoredBuild build = existing.get();
            if (!isFinished(build) && !jobs.containsKey(key)) {
                // left unfinished by an earlier process whose source could not be recovered at start
                requests.put(key, request);
                enqueue(request);
            }
            return record(build);
        }
        StoredBuild queued = StoredBuild.queuedAt(key.project(), key.version(), request.tag(), request.commit(), now());
        Optional<StoredBuild> raced = store.addBuild(queued);
        if (raced.isPresent()) {
            return record(raced.get());
        }
        log.info(
                "queued the build of {} {} from tag {} ({})",
                key.project(),
                key.version(),
                request.tag(),
                request.commit());
        requests.put(key, request);
        enqueue(request);
        BuildRecord seen = record(queued);
        events.accept(seen);
        return seen;
    }

    @Override
    public Optional<BuildRecord> await(String project, String version, Duration timeout) {
        Key key = Key.parse(project, version);
        Job job = jobs.get(key);
        if (job != null && !timeout.isNegative() && !timeout.isZero()) {
            promote(job);
            try {
                job.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // still queued or running: the current record says so
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException("build futures complete normally", e);
            }
        }
        return store.build(key.project(), key.version()).map(BuildService::record);
    }

    @Override
    public List<BuildRecord> builds(String project) {
        return store.builds(ProjectName.parse(project)).stream()
                .map(BuildService::record)
                .sorted(Comparator.comparing((BuildRecord r) -> Version.parse(r.version()))
                        .reversed())
                .toList();
    }

    /** The {@code limit} builds of any project queued most recently, newest first. */
    public List<BuildRecord> recent(int limit) {
        return store.recentBuilds(limit).stream().map(BuildService::record).toList();
    }

    /** The build of one release; {@link BuildNotFoundException} when there is none. */
    public BuildRecord build(String project, String version) {
        Key key = Key.parse(project, version);
        return store.build(key.project(), key.version())
                .map(BuildService::record)
                .orElseThrow(() -> notFound(key));
    }

    /**
     * Queues a failed build again (a fresh log, the same tag and commit). A build that is queued or running is left
     * alone and returned; a succeeded build, or one whose source this server does not know, is a
     * {@link RetryRefusedException}; an unknown one a {@link BuildNotFoundException}.
     */
    public synchronized BuildRecord retry(String project, String version) {
        Key key = Key.parse(project, version);
        StoredBuild build = store.build(key.project(), key.version()).orElseThrow(() -> notFound(key));
        if (jobs.containsKey(key) || (!isFinished(build) && heldByAnother(key, now()))) {
            return record(build);
        }
        if (build.status() == BuildStatus.SUCCEEDED) {
            throw new RetryRefusedException("The build of " + key.project() + " " + key.version()
                    + " succeeded; only failed builds are retried.");
        }
        BuildRequest request = requestFor(record(build))
                .orElseThrow(() -> new RetryRefusedException("The git source of " + key.project()
                        + " is not known to this server (yet), so " + key.version() + " cannot be rebuilt now."));
        StoredBuild queued = build.requeuedAt(now());
        store.updateBuild(queued);
        requests.put(key, request);
        enqueue(request);
        log.info("retrying the build of {} {}", key.project(), key.version());
        return record(queued);
    }

    /**
     * The log of a build that has started at least once, as a file on this machine (fetched from the blob store
     * when the build ran on another replica); {@link BuildNotFoundException} otherwise.
     */
    public Path log(String project, String version) {
        Key key = Key.parse(project, version);
        StoredBuild build = store.build(key.project(), key.version()).orElseThrow(() -> notFound(key));
        Optional<Path> file;
        try {
            file = build.started().isEmpty()
                    ? Optional.empty()
                    : logs.find(key.project(), key.version(), build.started().get());
        } catch (IOException e) {
            log.warn("cannot fetch the log of {} {}: {}", key.project(), key.version(), e.getMessage());
            throw new BuildNotFoundException(
                    "The log of the build of " + key.project() + " " + key.version() + " cannot be read now.");
        }
        if (file.isEmpty()) {
            throw new BuildNotFoundException("The build of " + key.project() + " " + key.version()
                    + (build.status() == BuildStatus.RUNNING
                            ? " is running on another replica; its log is here once it ends."
                            : " has not started, so it has no log yet."));
        }
        return file.get();
    }

    /** Stops the workers and the builds they run (an interrupted build is redone by the next start). */
    @Override
    public void close() {
        closed = true;
        steward.shutdownNow();
        List<Thread> workerThreads;
        synchronized (this) {
            workerThreads = List.copyOf(threads);
        }
        workerThreads.forEach(Thread::interrupt);
        for (Thread t : workerThreads) {
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // --- the queue

    /** A build queued or running in this process; {@code done} completes when it ends (or is abandoned). */
    private static final class Job {
        /** Waited-for first (latest promotion first), then newest version, then latest submitted. */
        static final Comparator<Job> ORDER = Comparator.comparingLong((Job j) -> j.promoted)
                .reversed()
                .thenComparing((Job j) -> j.request.version(), Comparator.reverseOrder())
                .thenComparing(Comparator.comparingLong((Job j) -> j.sequence).reversed());

        final BuildRequest request;
        final Key key;
        final long sequence;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile long promoted; // 0, or the sequence number of the last promotion
        /** The log context (request id) of whoever queued the build: the build's log lines carry it too. */
        final Map<String, String> caller =
                Optional.ofNullable(MDC.getCopyOfContextMap()).orElse(Map.of());
        /** What the running build does now: the stage a failure is counted in. */
        volatile BuildMetrics.Stage stage = BuildMetrics.Stage.PREPARE;
        /** Set when a renewal of this running build's lease failed: another replica may have taken it. */
        volatile boolean leaseLost;
        /** When the current run started. */
        volatile Instant started;
        /** What the current run's build environment holds, once it is ready. */
        volatile WheelBuilder.Environment environment;

        Job(BuildRequest request, long sequence) {
            this.request = request;
            this.key = Key.of(request);
            this.sequence = sequence;
        }
    }

    private void enqueue(BuildRequest request) {
        Job job = new Job(request, sequence.incrementAndGet());
        jobs.put(job.key, job);
        queue.add(job);
        metrics.enqueued();
    }

    /** Moves a queued job ahead of the others: someone waits for it. */
    private void promote(Job job) {
        synchronized (queue) {
            if (job.promoted == 0 && queue.remove(job)) {
                job.promoted = sequence.incrementAndGet();
                queue.add(job);
            }
        }
    }

    private void work() {
        while (!closed) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            MDC.setContextMap(job.caller);
            try {
                switch (takeLease(job)) {
                    case RUN -> {
                        try {
                            runLeased(job);
                        } finally {
                            running.remove(job.key, job);
                            releaseLease(job.key);
                        }
                        ended(job);
                    }
                    case FOLLOW -> followed.put(job.key, job); // tendLeases ends it or takes it over
                    case DONE -> ended(job);
                }
            } catch (RuntimeException e) { // e.g. the store failed: the record stays, a later look redoes it
                log.error("cannot take up the build of {} {}", job.key.project(), job.key.version(), e);
                ended(job);
            } finally {
                MDC.clear();
            }
        }
    }

    private void ended(Job job) {
        jobs.remove(job.key, job);
        job.done.complete(null);
    }

    /** What a worker does with a job it took from the queue. */
    private enum Take {
        /** This process holds the lease and the build is unfinished: run it. */
        RUN,
        /** Another worker or replica holds the lease: follow the record until it ends or the lease expires. */
        FOLLOW,
        /** The build has ended meanwhile (on another replica): nothing to do. */
        DONE
    }

    private Take takeLease(Job job) {
        if (closed) {
            return Take.DONE;
        }
        if (running.putIfAbsent(job.key, job) != null) {
            return Take.FOLLOW; // another worker here runs it (submitted twice, once from the look for orphans)
        }
        Instant now = now();
        boolean leased = false;
        try {
            leased = coordination.leases().acquire(resource(job.key), coordination.owner(), now, leaseEnd(now));
            if (!leased) {
                running.remove(job.key, job);
                return Take.FOLLOW;
            }
            Optional<StoredBuild> current = store.build(job.key.project(), job.key.version());
            if (current.isEmpty() || isFinished(current.get())) {
                running.remove(job.key, job);
                releaseLease(job.key);
                return Take.DONE;
            }
            return Take.RUN;
        } catch (RuntimeException e) { // the store failed: leave nothing claimed, a later look takes the build up
            running.remove(job.key, job);
            if (leased) {
                releaseLease(job.key);
            }
            throw e;
        }
    }

    private void runLeased(Job job) {
        long t0 = System.nanoTime();
        metrics.started();
        try {
            Ended ended = run(job);
            if (ended.recorded()) {
                metrics.finished(Duration.ofNanos(System.nanoTime() - t0), ended.failedIn());
            } else {
                metrics.abandoned();
            }
        } catch (RuntimeException e) { // a bug must not leave the release "running" forever
            log.error("the build of {} {} failed unexpectedly", job.key.project(), job.key.version(), e);
            if (!closed) {
                finish(job.key, Optional.of("Internal error while building; the server log has the details."));
                metrics.finished(Duration.ofNanos(System.nanoTime() - t0), Optional.of(BuildMetrics.Stage.INTERNAL));
            } else {
                metrics.abandoned();
            }
        }
    }

    // --- leases shared with other replicas

    /**
     * Every second: renews the leases of the builds running here, and checks the builds followed here: one that
     * ended (on another replica) answers its waiters, one whose lease is free (its replica died) is queued here.
     */
    private void tendLeases() {
        try {
            Instant now = now();
            for (Job job : running.values()) {
                if (!coordination.leases().acquire(resource(job.key), coordination.owner(), now, leaseEnd(now))
                        && !job.leaseLost) {
                    job.leaseLost = true;
                    log.warn(
                            "lost the lease of the build of {} {} (this process stalled for longer than {} s);"
                                    + " another replica may redo it, and this run will not record its outcome",
                            job.key.project(),
                            job.key.version(),
                            coordination.leaseTime().toSeconds());
                }
            }
            for (Job job : followed.values()) {
                Optional<StoredBuild> build = store.build(job.key.project(), job.key.version());
                if (build.isEmpty() || isFinished(build.get())) {
                    followed.remove(job.key, job);
                    ended(job);
                } else if (!heldByAnother(job.key, now) && followed.remove(job.key, job)) {
                    log.info(
                            "the build of {} {} has no live lease any more; taking it over",
                            job.key.project(),
                            job.key.version());
                    queue.add(job);
                }
            }
        } catch (RuntimeException e) { // the store is down: try again at the next tick
            log.warn("cannot renew or check build leases: {}", e.getMessage());
        }
    }

    /**
     * Every {@code leaseTime / 3}: queues the unfinished builds nobody holds a lease of and nobody here has queued
     * (their replica died or stopped, or they wait in a busy replica's queue), when their source is known here.
     */
    private synchronized void adoptOrphans() {
        try {
            Instant now = now();
            for (StoredBuild build : store.unfinishedBuilds()) {
                Key key = Key.of(build);
                if (jobs.containsKey(key) || isLeased(key, now)) {
                    continue;
                }
                Optional<BuildRequest> request =
                        Optional.ofNullable(requests.get(key)).or(() -> recover.apply(record(build)));
                if (request.isPresent()) {
                    log.info(
                            "taking up the {} build of {} {}, which no replica holds",
                            build.status().label(),
                            key.project(),
                            key.version());
                    enqueue(request.get());
                }
            }
        } catch (RuntimeException e) {
            log.warn("cannot look for builds left by other replicas: {}", e.getMessage());
        }
    }

    private boolean heldByAnother(Key key, Instant now) {
        return coordination
                .leases()
                .holder(resource(key))
                .filter(lease -> lease.liveAt(now) && !lease.owner().equals(coordination.owner()))
                .isPresent();
    }

    private boolean isLeased(Key key, Instant now) {
        return coordination
                .leases()
                .holder(resource(key))
                .filter(lease -> lease.liveAt(now))
                .isPresent();
    }

    private void releaseLease(Key key) {
        try {
            coordination.leases().release(resource(key), coordination.owner());
        } catch (RuntimeException e) { // it expires by itself
            log.warn(
                    "cannot release the lease of the build of {} {}: {}", key.project(), key.version(), e.getMessage());
        }
    }

    private Instant leaseEnd(Instant now) {
        return now.plus(coordination.leaseTime());
    }

    private static String resource(Key key) {
        return "build:" + key.project().normalized() + ":" + key.version().normalized();
    }

    // --- one build

    /**
     * How one run of a build ended: {@code recorded} false when shutdown interrupted it (nothing recorded, the next
     * start redoes it); else {@code failedIn} is the stage it failed in, empty when it succeeded.
     */
    private record Ended(boolean recorded, Optional<BuildMetrics.Stage> failedIn) {
        static final Ended ABANDONED = new Ended(false, Optional.empty());
    }

    /** Runs one build and records its outcome. */
    private Ended run(Job job) {
        Key key = job.key;
        BuildRequest request = job.request;
        StoredBuild current = store.build(key.project(), key.version()).orElseThrow(() -> notFound(key));
        Instant started = now();
        job.started = started;
        job.environment = null;
        store.updateBuild(current.startedAt(request.tag(), request.commit(), started, host));
        Path logFile = logFile(key);
        log.info(
                "building {} {} from tag {} ({}); log {}",
                key.project(),
                key.version(),
                request.tag(),
                request.commit(),
                logFile);
        Optional<String> failure;
        Path work = null;
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(
                    logFile,
                    "build of " + key.project() + " " + key.version() + " from tag " + request.tag() + " (commit "
                            + request.commit() + "), started " + started + "\n",
                    StandardCharsets.UTF_8);
            Files.createDirectories(workRoot);
            work = Files.createTempDirectory(workRoot, "build-");
            failure = buildAndStore(job, work, logFile);
        } catch (IOException e) {
            job.stage = BuildMetrics.Stage.PREPARE;
            log.error("cannot prepare the build of {} {}", key.project(), key.version(), e);
            failure = Optional.of(
                    "The server cannot prepare the build directory or log; the server log has the details.");
        } catch (WheelwrightException e) {
            failure = Optional.of(e.getMessage());
        } finally {
            if (work != null) {
                deleteTree(work);
            }
        }
        if (closed && failure.isPresent()) {
            log.info(
                    "build of {} {} interrupted by shutdown; it is redone at the next start",
                    key.project(),
                    key.version());
            return Ended.ABANDONED;
        }
        appendQuietly(logFile, failure.map(r -> "FAILED: " + r).orElse("SUCCEEDED") + "\n");
        Instant ended = now();
        if (!coordination.leases().acquire(resource(key), coordination.owner(), ended, leaseEnd(ended))) {
            log.warn(
                    "not recording the outcome of the build of {} {}: its lease passed to another replica",
                    key.project(),
                    key.version());
            return Ended.ABANDONED;
        }
        keepLog(key);
        finish(key, failure);
        BuildMetrics.Stage stage = job.stage;
        return new Ended(true, failure.map(f -> stage));
    }

    private Optional<String> buildAndStore(Job job, Path work, Path logFile) throws IOException {
        Produced produced = produce(
                job.request,
                work,
                logFile,
                stage -> job.stage = stage,
                environment -> identify(job, environment, logFile));
        Instant built = now();
        long t1 = System.nanoTime();
        job.stage = BuildMetrics.Stage.CHECK;
        List<Path> checked = check(job.request, produced.artifacts());
        job.stage = BuildMetrics.Stage.STORE;
        for (Path artifact : checked) {
            recordProvenance(job, artifact, produced.treeSha256(), built);
            uploads.importFile(artifact, UPLOADER);
            appendQuietly(logFile, "stored " + artifact.getFileName() + "\n");
        }
        appendQuietly(logFile, "checked and stored " + checked.size() + " files in " + millis(t1) + " ms\n");
        return Optional.empty();
    }

    /**
     * Exports the request's commit into {@code work/tree} and builds it into {@code work/out} with the commit's time
     * as {@code SOURCE_DATE_EPOCH}; returns the files built and that time. Stores and records nothing: a build stores
     * what it returns, a verification compares it with what is stored.
     *
     * @param stage told of each stage as it begins (export, build)
     * @param environmentReady told what the build environment holds, before the backend runs
     */
    Produced produce(
            BuildRequest request,
            Path work,
            Path logFile,
            Consumer<BuildMetrics.Stage> stage,
            Consumer<WheelBuilder.Environment> environmentReady)
            throws IOException {
        Path tree = Files.createDirectories(work.resolve("tree"));
        Path out = Files.createDirectories(work.resolve("out"));
        Path scratch = Files.createDirectories(work.resolve("scratch"));
        long t0 = System.nanoTime();
        stage.accept(BuildMetrics.Stage.EXPORT);
        Instant sourceDate = request.source().exportTo(request.commit(), tree);
        String treeSha256 = SourceDigest.of(tree);
        Path source = subdirectory(tree, request);
        stage.accept(BuildMetrics.Stage.BUILD);
        appendQuietly(
                logFile,
                "exported " + request.commit() + " in " + millis(t0) + " ms; SOURCE_DATE_EPOCH="
                        + sourceDate.getEpochSecond() + " (" + sourceDate + ", the commit's time)\n");
        List<Path> artifacts = builder.build(new WheelBuilder.Job(
                request.project(),
                request.version(),
                source,
                out,
                scratch,
                logFile,
                indexUrl,
                sourceDate,
                environmentReady));
        return new Produced(artifacts, sourceDate, treeSha256);
    }

    /**
     * The files one run of the backend built, the commit time it ran with as {@code SOURCE_DATE_EPOCH}, and the
     * sha256 of the exported tree ({@link SourceDigest}).
     */
    record Produced(List<Path> artifacts, Instant sourceDate, String treeSha256) {}

    /**
     * The request that rebuilds {@code build}: the one this process saw, else what the git source recovers from the
     * record; empty when the project's source is not known (yet).
     */
    Optional<BuildRequest> requestFor(BuildRecord build) {
        Key key = Key.parse(build.project(), build.version());
        return Optional.ofNullable(requests.get(key)).or(() -> recover.apply(build));
    }

    /** The build of one release, if there is one. */
    Optional<BuildRecord> find(ProjectName project, Version version) {
        Key key = new Key(Key.normalized(project), version);
        return store.build(key.project(), key.version()).map(BuildService::record);
    }

    private static Path subdirectory(Path tree, BuildRequest request) {
        if (request.subdirectory().isEmpty()) {
            return tree;
        }
        String sub = request.subdirectory().get();
        Path resolved = tree.resolve(sub).normalize();
        if (Path.of(sub).isAbsolute() || !resolved.startsWith(tree) || !Files.isDirectory(resolved)) {
            throw new BuildFailedException(
                    "The subdirectory '" + sub + "' does not exist at tag " + request.tag() + ".");
        }
        return resolved;
    }

    /**
     * Checks every artifact before any is stored: a distribution filename of this project and the tag's version,
     * readable metadata saying the same, at least one wheel, and no clash with a stored file of other bytes.
     */
    private List<Path> check(BuildRequest request, List<Path> artifacts) {
        if (artifacts.isEmpty()) {
            throw new BuildFailedException("The build produced no files.");
        }
        boolean wheel = false;
        for (Path artifact : artifacts) {
            String name = artifact.getFileName().toString();
            DistributionFilename filename;
            try {
                filename = DistributionFilename.parse(name);
            } catch (WheelwrightException e) {
                throw new BuildFailedException(
                        "The build produced " + name + ", which is not a distribution: " + e.getMessage());
            }
            if (!filename.name().equals(request.project())) {
                throw new BuildFailedException("The build produced " + name + " of project "
                        + filename.name().normalized() + ", not "
                        + request.project().normalized() + ".");
            }
            checkVersion(request, filename.version());
            CoreMetadata metadata;
            try {
                metadata = CoreMetadata.parse(
                        filename instanceof WheelFilename w
                                ? DistributionArchive.wheelMetadata(artifact, w)
                                : DistributionArchive.sdistMetadata(artifact, (SdistFilename) filename));
                checkVersion(request, metadata.parsedVersion());
            } catch (BuildFailedException e) {
                throw e;
            } catch (WheelwrightException e) {
                throw new BuildFailedException("The metadata of " + name + " is not readable: " + e.getMessage());
            }
            Optional<StoredFile> stored = catalog.file(request.project(), name);
            if (stored.isPresent() && !stored.get().sha256().equals(sha256(artifact))) {
                throw new BuildFailedException(name + " is already stored with other bytes, and a stored file never"
                        + " changes; publish a new tag instead.");
            }
            wheel |= filename instanceof WheelFilename;
        }
        if (!wheel) {
            throw new BuildFailedException("The build produced no wheel.");
        }
        return artifacts.stream()
                .sorted(Comparator.comparing(
                        (Path p) -> !p.getFileName().toString().endsWith(".whl")))
                .toList();
    }

    /**
     * Records the provenance of a built file before it is stored. A file stored already whose provenance names these
     * same bytes keeps it (the build that stored it made them); otherwise this run's record replaces whatever an
     * earlier, interrupted run left.
     */
    private void recordProvenance(Job job, Path artifact, String treeSha256, Instant built) {
        BuildRequest request = job.request;
        String filename = artifact.getFileName().toString();
        String sha256 = sha256(artifact);
        if (catalog.file(request.project(), filename).isPresent()
                && provenance
                        .store()
                        .provenance(filename)
                        .filter(p -> p.sha256().equals(sha256))
                        .isPresent()) {
            return;
        }
        WheelBuilder.Environment environment = job.environment;
        if (environment == null) {
            throw new BuildFailedException("The builder did not say what its build environment holds, so the"
                    + " provenance of " + filename + " cannot be recorded.");
        }
        provenance
                .store()
                .putProvenance(new FileProvenance(
                        job.key.project(),
                        request.version(),
                        filename,
                        sha256,
                        new FileProvenance.Source(
                                request.source().repository(),
                                request.tag(),
                                request.source().tagObject(request.tag(), request.commit()),
                                request.commit(),
                                request.subdirectory(),
                                treeSha256),
                        new FileProvenance.Builder(
                                provenance.wheelwrightVersion(),
                                host,
                                environment.backend(),
                                environment.backendVersion(),
                                environment.python(),
                                environment.id(),
                                environment.requires(),
                                environment.installed()),
                        Optional.ofNullable(job.started).orElse(built),
                        built));
    }

    /** Records who builds the release, once its environment is ready: this host, the backend and its Python. */
    private void identify(Job job, WheelBuilder.Environment environment, Path logFile) {
        Key key = job.key;
        job.environment = environment;
        appendQuietly(
                logFile,
                "builder: host " + host + ", backend " + environment.backend()
                        + environment.backendVersion().map(v -> " " + v).orElse("") + ", Python "
                        + environment.python().orElse("(unknown)") + ", environment " + environment.id() + "\n");
        store.build(key.project(), key.version())
                .ifPresent(b -> store.updateBuild(b.withBuilder(BuilderIdentity.host(host)
                        .withToolchain(environment.backend(), environment.backendVersion(), environment.python()))));
    }

    private static void checkVersion(BuildRequest request, Version built) {
        if (!built.equals(request.version())) {
            throw new BuildFailedException("built version " + built + " differs from tag " + request.tag()
                    + "'s version " + request.version());
        }
    }

    private void finish(Key key, Optional<String> failure) {
        store.build(key.project(), key.version()).ifPresent(b -> {
            Instant finished = now();
            StoredBuild ended = b.endedAt(failure, finished);
            store.updateBuild(ended);
            events.accept(record(ended));
            long ms = Duration.between(b.started().orElse(finished), finished).toMillis();
            if (failure.isPresent()) {
                log.warn(
                        "build of {} {} failed after {} ms: {} (log {})",
                        key.project(),
                        key.version(),
                        ms,
                        failure.get(),
                        logFile(key));
            } else {
                log.info("built {} {} in {} ms", key.project(), key.version(), ms);
            }
        });
    }

    // --- helpers

    /**
     * A release: the project spelled normalized, and the version told apart by its normalized form (as the store
     * keys builds), so both print as they are stored.
     */
    private record Key(ProjectName project, Version version) {
        static Key of(BuildRequest request) {
            return new Key(normalized(request.project()), request.version());
        }

        static Key of(StoredBuild build) {
            return new Key(normalized(build.project()), build.version());
        }

        static Key parse(String project, String version) {
            return new Key(normalized(ProjectName.parse(project)), Version.parse(version));
        }

        private static ProjectName normalized(ProjectName name) {
            return name.original().equals(name.normalized()) ? name : ProjectName.parse(name.normalized());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k
                    && project.equals(k.project)
                    && version.normalized().equals(k.version.normalized());
        }

        @Override
        public int hashCode() {
            return Objects.hash(project, version.normalized());
        }
    }

    private Path logFile(Key key) {
        return logs.local(key.project(), key.version());
    }

    /** Keeps the ended build's log where every replica finds it; a failure leaves it on this replica only. */
    private void keepLog(Key key) {
        try {
            logs.keep(key.project(), key.version());
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "cannot keep the log of {} {} in the blob store: {}", key.project(), key.version(), e.getMessage());
        }
    }

    private static boolean isFinished(StoredBuild b) {
        return b.status().isFinished();
    }

    static BuildRecord record(StoredBuild b) {
        return new BuildRecord(
                b.project().normalized(),
                b.version().normalized(),
                b.tag(),
                b.commit(),
                BuildRecord.Status.valueOf(b.status().name()),
                b.reason(),
                b.queued(),
                b.started(),
                b.finished(),
                new BuildRecord.Builder(
                        b.builder().host(),
                        b.builder().backend(),
                        b.builder().backendVersion(),
                        b.builder().python()));
    }

    private static BuildNotFoundException notFound(Key key) {
        return new BuildNotFoundException("No build of " + key.project() + " " + key.version() + " is known.");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void appendQuietly(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            log.warn("cannot write build log {}: {}", file, e.getMessage());
        }
    }

    private static String sha256(Path file) {
        try {
            return Sha256.hex(file);
        } catch (IOException e) {
            throw new BuildFailedException("Cannot read the built file " + file.getFileName() + ".", e);
        }
    }

    private static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            log.warn("cannot clean build directory {}: {}", root, e.getMessage());
        }
    }
}

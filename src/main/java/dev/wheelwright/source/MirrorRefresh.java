package dev.wheelwright.source;

import dev.wheelwright.common.Shutdown;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Keeps the git mirrors fresh: every repository is fetched at start (in the background, after discovery), every
 * poll interval, on a verified webhook, and on demand ({@link #onDemand}, for a page request or an upload): then the
 * remote's tags are listed (a cheap {@code ls-remote}, one at a time per repository and at most one per check interval,
 * each caller answered by one that started after it asked) and a fetch runs only when a tag is new or moved, or the
 * head of a project's dev branch moved; concurrent callers join the fetch in flight. After each fetch, successful or not, {@link GitReleases#scan} runs inside the
 * same flight, so whoever waits for a refresh also waits for the builds it queued. A failing remote leaves
 * everything known served; the failure is in {@link #status} and the log (WARN, no credentials). Thread-safe.
 */
public final class MirrorRefresh implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MirrorRefresh.class);

    /** After the remote failed to list its tags, page requests serve what is known without asking it for this long. */
    private static final Duration FAILED_CHECK_BACKOFF = Duration.ofSeconds(10);

    /** Why a repository is refreshed: a webhook's (or a changed tag's) fetch queues after the one in flight. */
    private enum Trigger {
        POLL,
        WEBHOOK
    }

    /** One mirror's refresh state; {@code inFlight}, {@code check} and {@code nextCheck} are guarded by its monitor. */
    private static final class Mirror {
        final String url;
        CompletableFuture<Void> inFlight;
        CompletableFuture<Void> check; // the tag check running, if any
        CompletableFuture<Void> nextCheck; // the one queued to start after it, shared by the callers meanwhile
        Instant nextCheckAt; // the earliest the queued one starts
        Instant lastCheckStart; // when the last check started; the next starts checkInterval after it at the earliest
        final AtomicInteger checks = new AtomicInteger();
        volatile Instant checkFailedAt; // when listing the remote's tags last failed; cleared when it works
        final AtomicInteger fetches = new AtomicInteger();
        volatile Instant lastAttempt;
        volatile Instant lastSuccess;
        volatile String lastError;
        volatile Instant lastErrorAt;

        Mirror(String url) {
            this.url = url;
        }
    }

    private final ProjectSources sources;
    private final SourceRepository repositories;
    private final GitReleases releases;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration checkInterval;
    private final ExecutorService fetchers;
    private final ExecutorService checkers; // tag checks wait for fetches, so they run on threads of their own
    private final ScheduledExecutorService scheduler;
    private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Predicate<String> pollTurn;
    private volatile boolean started;

    /**
     * @param pollInterval every how often all repositories are fetched; zero: only at start
     * @param pollTurn asked before each periodic fetch of a repository (by its URL) after the one at start: whether
     *     this replica's turn it is. Replicas sharing a store take turns (a lease per repository and interval), so a
     *     repository is fetched once per interval however many replicas run; the others catch up when a page request
     *     or a build needs a tag their mirror lacks
     * @param checkInterval the least time between the starts of two tag checks ({@code ls-remote}) of one repository:
     *     a caller arriving sooner shares the check that starts when it has passed (zero: as soon as the one running
     *     ends), so a busy project costs its git host at most one {@code ls-remote} per interval
     * @param meters where each fetch is timed, per repository (its URL without credentials):
     *     {@code wheelwright_git_fetch_seconds{repository,outcome}} and {@code wheelwright_git_fetch_failures_total};
     *     each tag check is counted in {@code wheelwright_git_checks_total{repository}}
     */
    public MirrorRefresh(
            GitMirrors mirrors,
            GitReleases releases,
            Clock clock,
            Duration pollInterval,
            Duration checkInterval,
            MeterRegistry meters,
            Predicate<String> pollTurn) {
        this.sources = mirrors.sources();
        this.repositories = mirrors.repositories();
        this.meters = Objects.requireNonNull(meters);
        this.pollTurn = Objects.requireNonNull(pollTurn);
        this.releases = Objects.requireNonNull(releases);
        this.clock = Objects.requireNonNull(clock);
        this.pollInterval = Objects.requireNonNull(pollInterval);
        this.checkInterval = Objects.requireNonNull(checkInterval);
        this.fetchers = Executors.newFixedThreadPool(2, daemon("wheelwright-git-fetch"));
        this.checkers = Executors.newCachedThreadPool(daemon("wheelwright-git-check"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("wheelwright-git-poll"));
    }

    /** Starts the background work: discovery and a fetch of every repository now, then every poll interval. */
    public MirrorRefresh start() {
        Runnable poll = this::pollAll;
        if (pollInterval.isZero()) {
            scheduler.execute(poll);
        } else {
            scheduler.scheduleWithFixedDelay(poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void pollAll() {
        try {
            sources.discover();
        } catch (RuntimeException e) {
            log.warn("git discovery failed, keeping the projects found before: {}", e.getMessage());
        }
        boolean first = !started;
        started = true;
        Set<String> urls = new LinkedHashSet<>();
        for (ProjectSource p : sources.all()) {
            if (!urls.add(GitUrls.key(p.url()))) {
                continue;
            }
            boolean ourTurn;
            try {
                ourTurn = first || pollTurn.test(p.url());
            } catch (RuntimeException e) { // the store is down: fetching anyway is the safe side
                log.warn("cannot ask whose turn it is to fetch {}: {}", GitUrls.redact(p.url()), e.getMessage());
                ourTurn = true;
            }
            if (ourTurn) {
                refresh(p.url(), Trigger.POLL);
            } else {
                log.debug("{} was fetched by another replica this interval", GitUrls.redact(p.url()));
            }
        }
    }

    /**
     * Checks {@code url}'s tags (fetching when one is new or moved, see {@link #check}) and waits for that until
     * {@code deadline} at most; when that check cannot start before the deadline (the check interval has not passed),
     * returns at once and the caller serves what is known. Never throws for remote failures.
     */
    public void onDemand(String url, Instant deadline) {
        PlannedCheck planned = check(url);
        if (planned.startsAt().isAfter(deadline)) {
            log.debug("the next tag check starts after the listing wait; serving what is known");
            return;
        }
        CompletableFuture<Void> refresh = planned.done();
        long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        try {
            refresh.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("refresh still running after the listing wait; serving what is known");
        } catch (ExecutionException e) {
            log.debug(
                    "refresh failed: {}",
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A check of the remote's tags that starts after this call: when one is running, the next one, queued to start
     * when it ends, shared by every caller that arrives meanwhile (so a remote is asked at most once at a time per
     * repository, and no caller is answered from a look taken before it asked). The check lists the remote's tags
     * ({@code ls-remote}, no objects) and fetches (then scans for releases) only when a tag is new or moved. A check
     * starts {@code checkInterval} after the previous one started at the earliest.
     */
    private PlannedCheck check(String url) {
        Mirror m = mirror(url);
        synchronized (m) {
            Instant now = clock.instant();
            Instant failed = m.checkFailedAt;
            if (failed != null && failed.plus(FAILED_CHECK_BACKOFF).isAfter(now)) {
                // the remote just failed: serve what is known now
                return new PlannedCheck(CompletableFuture.completedFuture(null), now);
            }
            if (m.nextCheck != null) {
                return new PlannedCheck(m.nextCheck, m.nextCheckAt);
            }
            CompletableFuture<Void> next = new CompletableFuture<>();
            Instant earliest = m.lastCheckStart == null ? now : m.lastCheckStart.plus(checkInterval);
            if (m.check == null && !earliest.isAfter(now)) {
                startCheck(m, next);
                return new PlannedCheck(next, now);
            }
            m.nextCheck = next;
            m.nextCheckAt = earliest.isAfter(now) ? earliest : now;
            if (m.check == null) {
                startCheckAt(m, next, earliest);
            } else {
                m.check.whenComplete((r, e) -> startCheckAt(m, next, earliest));
            }
            return new PlannedCheck(next, m.nextCheckAt);
        }
    }

    /** A tag check a caller may wait for, and the earliest it starts. */
    private record PlannedCheck(CompletableFuture<Void> done, Instant startsAt) {}

    private void startCheckAt(Mirror m, CompletableFuture<Void> f, Instant at) {
        long delay = Duration.between(clock.instant(), at).toMillis();
        if (delay <= 0) {
            startCheck(m, f);
        } else {
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> startCheck(m, f));
        }
    }

    private void startCheck(Mirror m, CompletableFuture<Void> f) {
        synchronized (m) {
            if (m.nextCheck == f) {
                m.nextCheck = null;
            }
            m.check = f;
            m.lastCheckStart = clock.instant();
        }
        try {
            executeAsCaller(checkers, () -> {
                try {
                    m.checks.incrementAndGet();
                    Counter.builder("wheelwright.git.checks")
                            .description("Tag checks (ls-remote) of the git remotes, on demand for page requests.")
                            .tag("repository", GitUrls.redact(m.url))
                            .register(meters)
                            .increment();
                    Set<String> branches = devBranches(m.url);
                    Map<String, String> remote;
                    Map<String, String> heads = Map.of();
                    try {
                        remote = repositories.remoteTags(m.url);
                        if (!branches.isEmpty()) { // a second ls-remote, only for projects with dev releases
                            heads = repositories.remoteHeads(m.url, branches);
                        }
                        m.checkFailedAt = null;
                    } catch (SourceUnavailableException e) {
                        m.checkFailedAt = clock.instant();
                        throw e;
                    }
                    boolean headMoved =
                            !branches.isEmpty() && !heads.equals(repositories.mirroredHeads(m.url, branches));
                    Map<String, String> mirrored = repositories.mirroredTags(m.url);
                    Set<String> gone = new HashSet<>(mirrored.keySet());
                    gone.removeAll(remote.keySet());
                    gone.removeAll(repositories.deletedTags(m.url));
                    if (!mirrored.entrySet().containsAll(remote.entrySet()) || !gone.isEmpty() || headMoved) {
                        // a new, moved or deleted tag, or a dev branch that moved: fetch (which records deletions)
                        // and scan now
                        refresh(m.url, Trigger.WEBHOOK).get();
                    } else {
                        // the mirror has them, perhaps from a fetch (a poll, a webhook) still scanning them for
                        // releases: wait for that, so this caller sees the builds it queues
                        CompletableFuture<Void> running;
                        synchronized (m) {
                            running = m.inFlight;
                        }
                        if (running != null) {
                            running.get();
                        }
                    }
                } catch (SourceUnavailableException e) {
                    m.lastError = e.getMessage();
                    m.lastErrorAt = clock.instant();
                    log.warn("{}; serving what is known", e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | RuntimeException e) {
                    log.warn("cannot check the tags of {}: {}", GitUrls.redact(m.url), e.getMessage());
                } finally {
                    synchronized (m) {
                        if (m.check == f) {
                            m.check = null;
                        }
                    }
                    f.complete(null);
                }
            });
        } catch (RuntimeException rejected) { // closed
            synchronized (m) {
                m.check = null;
            }
            f.completeExceptionally(rejected);
        }
    }

    /** Starts a refresh of {@code url} in the background regardless of the on-demand limit (a verified webhook). */
    public void pushed(String url) {
        refresh(url, Trigger.WEBHOOK);
    }

    /** The mirrors whose last fetch in this process failed (their remotes are degraded), by URL. */
    public List<RepositoryStatus> failing() {
        return mirrors.values().stream()
                .map(m -> status(m.url))
                .filter(s -> s.lastError().isPresent())
                .sorted(java.util.Comparator.comparing(RepositoryStatus::url))
                .toList();
    }

    /** The fetch state of the mirror of {@code url} in this process. */
    public RepositoryStatus status(String url) {
        Mirror m = mirror(url);
        return new RepositoryStatus(
                GitUrls.redact(url),
                Optional.ofNullable(m.lastAttempt),
                Optional.ofNullable(m.lastSuccess),
                Optional.ofNullable(m.lastError),
                Optional.ofNullable(m.lastErrorAt),
                m.fetches.get());
    }

    /** The branches whose heads are dev releases of the projects on {@code url}. */
    private Set<String> devBranches(String url) {
        Set<String> branches = new HashSet<>();
        for (ProjectSource p : sources.onRepository(url)) {
            p.dev().ifPresent(d -> branches.add(d.branch()));
        }
        return branches;
    }

    /** How many tag checks ({@code ls-remote}) of {@code url}'s remote have started in this process. */
    int checks(String url) {
        return mirror(url).checks.get();
    }

    private Mirror mirror(String url) {
        return mirrors.computeIfAbsent(GitUrls.key(url), k -> new Mirror(url));
    }

    /**
     * The refresh a caller should wait for: the fetch in flight (a webhook or a changed tag queues one more after it),
     * else a new fetch on the fetch pool.
     */
    private CompletableFuture<Void> refresh(String url, Trigger trigger) {
        Mirror m = mirror(url);
        synchronized (m) {
            if (m.inFlight != null) {
                if (trigger != Trigger.WEBHOOK) {
                    return m.inFlight;
                }
                return m.inFlight.handle((r, e) -> null).thenCompose(x -> refresh(url, Trigger.WEBHOOK));
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            m.inFlight = f;
            try {
                executeAsCaller(fetchers, () -> run(m, f));
            } catch (RuntimeException rejected) { // closed
                m.inFlight = null;
                f.completeExceptionally(rejected);
            }
            return f;
        }
    }

    /** Runs {@code work} on {@code executor} with the caller's MDC: its log lines carry the causing request's id. */
    private static void executeAsCaller(ExecutorService executor, Runnable work) {
        Map<String, String> caller =
                Optional.ofNullable(MDC.getCopyOfContextMap()).orElse(Map.of());
        executor.execute(() -> {
            MDC.setContextMap(caller);
            try {
                work.run();
            } finally {
                MDC.clear();
            }
        });
    }

    private void run(Mirror m, CompletableFuture<Void> f) {
        try {
            fetch(m);
            releases.scan(m.url);
        } catch (RuntimeException e) {
            log.warn("cannot scan the tags of {}: {}", GitUrls.redact(m.url), e.getMessage(), e);
        } finally {
            synchronized (m) {
                m.inFlight = null;
            }
            f.complete(null);
        }
    }

    private void fetch(Mirror m) {
        m.lastAttempt = clock.instant();
        m.fetches.incrementAndGet();
        String repository = GitUrls.redact(m.url);
        Timer.Sample sample = Timer.start();
        try {
            repositories.fetch(m.url, devBranches(m.url));
            sample.stop(fetchTimer(repository, "success"));
            m.lastSuccess = clock.instant();
            m.lastError = null;
            m.lastErrorAt = null;
            log.info("fetched {}", repository);
        } catch (RuntimeException e) {
            sample.stop(fetchTimer(repository, "failure"));
            Counter.builder("wheelwright.git.fetch.failures")
                    .description("Git fetches that failed (remote unreachable, refused, timed out).")
                    .tag("repository", repository)
                    .register(meters)
                    .increment();
            String message = e instanceof SourceUnavailableException
                    ? e.getMessage()
                    : "cannot fetch " + GitUrls.redact(m.url) + ": " + e.getMessage();
            m.lastError = message;
            m.lastErrorAt = clock.instant();
            log.warn("{}; serving what is known", message);
        }
    }

    private Timer fetchTimer(String repository, String outcome) {
        return Timer.builder("wheelwright.git.fetch")
                .description("Git fetches of the mirrors: how long each took.")
                .tag("repository", repository)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(meters);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops polling and fetching; a fetch in progress is interrupted and waited for (5 s at most). */
    @Override
    public void close() {
        scheduler.shutdownNow();
        checkers.shutdownNow();
        if (!Shutdown.stopWithin(fetchers, Duration.ofSeconds(5))) {
            log.warn("a git fetch did not stop within 5 s of shutdown");
        }
    }
}

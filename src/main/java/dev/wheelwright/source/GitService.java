package dev.wheelwright.source;

import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildRequest;
import dev.wheelwright.builds.Builds;
import dev.wheelwright.index.LocalSource;
import dev.wheelwright.index.ProjectNotFoundException;
import dev.wheelwright.python.InvalidProjectNameException;
import dev.wheelwright.python.InvalidVersionException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.upload.UploadPolicy;
import dev.wheelwright.upload.UploadRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The git source: git-backed projects, their mirrors, their tags and the builds of their releases.
 *
 * <p>Mirrors are fetched at start (in the background), every poll interval, on a verified webhook, and on demand:
 * {@link #prepare} (a project-page request) refreshes the project's repository, at most once per
 * {@code refreshInterval} per repository (polls and webhooks do not count against that limit); concurrent requests
 * join the fetch in flight. After each fetch every release (a version tag that is not a duplicate) without a build is
 * submitted to {@link Builds}, newest version first, once per process. Listing design (a) of DESIGN.md: a release
 * is listed only once built; a page request waits at most {@code listingWait} (fetch included) for the project's
 * builds queued within the last {@code refreshInterval} (by its own refresh, one it joined, a webhook or a poll).
 * A failing remote leaves everything known served; the failure is in {@link #tags} and the log (WARN, no
 * credentials).
 *
 * <p>Also the upload policy of git-backed projects: uploads only for versions that exist as tags. Thread-safe.
 */
public final class GitService implements LocalSource, UploadPolicy, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GitService.class);

    /**
     * Timing of the git source.
     *
     * @param refreshInterval on-demand refreshes of one repository are at least this far apart (10 s by DESIGN.md)
     * @param listingWait how long a page request may wait for its refresh and the builds it queued
     * @param pollInterval every how often all repositories are fetched; zero: only at start
     */
    public record Settings(Duration refreshInterval, Duration listingWait, Duration pollInterval) {
        public Settings {
            Objects.requireNonNull(refreshInterval);
            Objects.requireNonNull(listingWait);
            Objects.requireNonNull(pollInterval);
        }
    }

    /** Why a repository is refreshed: the on-demand limit applies to requests only. */
    private enum Trigger {
        REQUEST,
        POLL,
        WEBHOOK
    }

    /** A build this process queued, and when. */
    private record Queued(Version version, Instant at) {}

    /** One mirror's refresh state; {@code inFlight} and {@code lastOnDemand} are guarded by the object's monitor. */
    private static final class Mirror {
        final String url;
        CompletableFuture<Void> inFlight;
        Instant lastOnDemand;
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
    private final Builds builds;
    private final Clock clock;
    private final Settings settings;
    private final Optional<WebhookSignature> webhook;
    private final ExecutorService fetchers;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Mirror> mirrors = new ConcurrentHashMap<>();
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Queued>> recent = new ConcurrentHashMap<>();
    private final Set<String> reportedMoves = ConcurrentHashMap.newKeySet();

    public GitService(
            ProjectSources sources,
            SourceRepository repositories,
            Builds builds,
            Clock clock,
            Settings settings,
            Optional<WebhookSignature> webhook) {
        this.sources = Objects.requireNonNull(sources);
        this.repositories = Objects.requireNonNull(repositories);
        this.builds = Objects.requireNonNull(builds);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.webhook = Objects.requireNonNull(webhook);
        this.fetchers = Executors.newFixedThreadPool(2, daemon("wheelwright-git-fetch"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("wheelwright-git-poll"));
    }

    /** Starts the background work: discovery and a fetch of every repository now, then every poll interval. */
    public GitService start() {
        Runnable poll = this::pollAll;
        if (settings.pollInterval().isZero()) {
            scheduler.execute(poll);
        } else {
            scheduler.scheduleWithFixedDelay(poll, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void pollAll() {
        try {
            sources.discover();
        } catch (RuntimeException e) {
            log.warn("git discovery failed, keeping the projects found before: {}", e.getMessage());
        }
        Set<String> urls = new LinkedHashSet<>();
        for (ProjectSource p : sources.all()) {
            if (urls.add(GitUrls.key(p.url()))) {
                refresh(p.url(), Trigger.POLL);
            }
        }
    }

    @Override
    public boolean owns(ProjectName name) {
        return sources.resolve(name).isPresent();
    }

    @Override
    public List<ProjectName> projects() {
        return sources.all().stream().map(ProjectSource::name).toList();
    }

    @Override
    public void prepare(ProjectName name) {
        Instant deadline = clock.instant().plus(settings.listingWait());
        Optional<ProjectSource> source = sources.resolve(name);
        if (source.isEmpty()) {
            return;
        }
        awaitRefresh(refresh(source.get().url(), Trigger.REQUEST), deadline);
        Instant since = clock.instant().minus(settings.refreshInterval());
        List<Queued> queued = recent.getOrDefault(name.normalized(), List.of());
        for (Queued q : queued) {
            if (q.at().isBefore(since)) {
                continue;
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                log.debug("stopped waiting for builds of {}: listing wait used up", name.normalized());
                return;
            }
            builds.await(name.normalized(), q.version().normalized(), left);
        }
    }

    /**
     * Refuses uploads into a git-backed project for versions no tag gives (after a bounded refresh, so a release
     * tagged a moment ago counts). Projects that are not git-backed are not this policy's business.
     */
    @Override
    public void check(ProjectName project, Version version) {
        Optional<ProjectSource> source = sources.resolve(project);
        if (source.isEmpty()) {
            return;
        }
        awaitRefresh(refresh(source.get().url(), Trigger.REQUEST), clock.instant().plus(settings.listingWait()));
        List<TagState> states = TagReport.analyze(source.get(), repositories.tags(source.get().url()),
                repositories.firstSeen(source.get().url()));
        boolean tagged = TagReport.releases(states).stream().anyMatch(s -> s.version().orElseThrow().equals(version));
        if (!tagged) {
            throw new UploadRejectedException("Project " + project.normalized() + " is git-backed: its releases come"
                    + " from git tags, and uploads are accepted only for versions that exist as tags (no tag gives "
                    + version + ").");
        }
    }

    /**
     * The request to rebuild a build record (one left unfinished by an earlier process): the record's tag and commit,
     * the project's subdirectory and this mirror's tree. Empty when the project's source is not known (yet).
     */
    public Optional<BuildRequest> recover(BuildRecord record) {
        ProjectName name;
        try {
            name = ProjectName.parse(record.project());
        } catch (InvalidProjectNameException e) {
            return Optional.empty();
        }
        Optional<Version> version = parseVersion(record.version());
        return sources.known(name).flatMap(p -> version.map(v -> new BuildRequest(
                p.name(), v, record.tag(), record.commit(), p.subdirectory(), repositories.tree(p.url()))));
    }

    /** Every tag of a git-backed project with its state; {@link ProjectNotFoundException} for other names. */
    public ProjectTags tags(ProjectName name) {
        ProjectSource source = sources.resolve(name).orElseThrow(
                () -> new ProjectNotFoundException("No git-backed project named " + name.normalized() + " in this index."));
        List<TagState> states =
                TagReport.analyze(source, repositories.tags(source.url()), repositories.firstSeen(source.url()));
        Map<Version, BuildRecord> byVersion = new HashMap<>();
        for (BuildRecord b : builds.builds(name.normalized())) {
            parseVersion(b.version()).ifPresent(v -> byVersion.putIfAbsent(v, b));
        }
        Mirror m = mirror(source.url());
        RepositoryStatus status = new RepositoryStatus(
                GitUrls.redact(source.url()),
                Optional.ofNullable(m.lastAttempt),
                Optional.ofNullable(m.lastSuccess),
                Optional.ofNullable(m.lastError),
                Optional.ofNullable(m.lastErrorAt),
                m.fetches.get());
        return new ProjectTags(source, status, states, byVersion);
    }

    /**
     * Checks a push webhook's signature over the raw body ({@code X-Hub-Signature-256}) before anything of it is
     * read; {@link WebhookRejectedException} when it is missing or wrong, or webhooks have no secret configured.
     */
    public void verifyWebhook(byte[] body, Optional<String> signature) {
        WebhookSignature verifier = webhook.orElseThrow(() -> new WebhookRejectedException(
                "Webhooks are not enabled: the environment variable named by git.webhook-secret-env is not set."));
        if (!verifier.verifies(body, signature)) {
            throw new WebhookRejectedException("Missing or invalid X-Hub-Signature-256 for this webhook.");
        }
    }

    /**
     * Starts a refresh, in the background and regardless of the on-demand rate limit, of every known repository
     * that one of {@code urls} names (a verified webhook). {@code repositoryName} lets a project served through a
     * URL template be found before anyone asked for it.
     *
     * @return the projects whose repository is being refreshed; empty when none is known here
     */
    public List<ProjectName> refreshRepository(List<String> urls, Optional<String> repositoryName) {
        Set<String> keys = new LinkedHashSet<>();
        for (String u : urls) {
            keys.add(GitUrls.key(u));
        }
        repositoryName.ifPresent(n -> {
            try {
                sources.resolve(ProjectName.parse(n));
            } catch (InvalidProjectNameException e) {
                log.debug("webhook repository name {} is not a project name", n);
            }
        });
        List<ProjectName> affected = new ArrayList<>();
        Set<String> started = new LinkedHashSet<>();
        for (ProjectSource p : sources.all()) {
            String key = GitUrls.key(p.url());
            if (keys.contains(key)) {
                affected.add(p.name());
                if (started.add(key)) {
                    refresh(p.url(), Trigger.WEBHOOK);
                }
            }
        }
        return affected;
    }

    private Mirror mirror(String url) {
        return mirrors.computeIfAbsent(GitUrls.key(url), k -> new Mirror(url));
    }

    /**
     * The refresh a caller should wait for: the fetch in flight (a webhook queues one more after it), else nothing
     * for a request within the on-demand interval, else a new fetch on the fetch pool.
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
            Instant now = clock.instant();
            if (trigger == Trigger.REQUEST) {
                if (m.lastOnDemand != null && m.lastOnDemand.plus(settings.refreshInterval()).isAfter(now)) {
                    return CompletableFuture.completedFuture(null);
                }
                m.lastOnDemand = now;
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            m.inFlight = f;
            try {
                fetchers.execute(() -> run(m, f));
            } catch (RuntimeException rejected) { // closed
                m.inFlight = null;
                f.completeExceptionally(rejected);
            }
            return f;
        }
    }

    private void run(Mirror m, CompletableFuture<Void> f) {
        try {
            fetchAndScan(m);
        } catch (RuntimeException e) {
            log.warn("cannot scan the tags of {}: {}", GitUrls.redact(m.url), e.getMessage(), e);
        } finally {
            synchronized (m) {
                m.inFlight = null;
            }
            f.complete(null);
        }
    }

    private void fetchAndScan(Mirror m) {
        m.lastAttempt = clock.instant();
        m.fetches.incrementAndGet();
        try {
            repositories.fetch(m.url);
            m.lastSuccess = clock.instant();
            m.lastError = null;
            m.lastErrorAt = null;
        } catch (RuntimeException e) {
            String message = e instanceof SourceUnavailableException
                    ? e.getMessage()
                    : "cannot fetch " + GitUrls.redact(m.url) + ": " + e.getMessage();
            m.lastError = message;
            m.lastErrorAt = clock.instant();
            log.warn("{}; serving what is known", message);
        }
        scan(m.url);
    }

    /** Records new tags as first seen, reports moved tags, submits releases that have no build yet (newest first). */
    private void scan(String url) {
        List<GitTag> tags = repositories.tags(url);
        Map<String, String> seen = new HashMap<>(repositories.firstSeen(url));
        Map<String, String> fresh = new LinkedHashMap<>();
        for (GitTag t : tags) {
            if (!seen.containsKey(t.name())) {
                fresh.put(t.name(), t.commit());
            }
        }
        if (!fresh.isEmpty()) {
            repositories.recordFirstSeen(url, fresh);
            seen.putAll(fresh);
        }
        List<BuildRequest> requests = new ArrayList<>();
        for (ProjectSource p : sources.onRepository(url)) {
            List<TagState> states = TagReport.analyze(p, tags, seen);
            for (TagState s : states) {
                if (s.moved() && reportedMoves.add(url + "\n" + s.tag() + "\n" + s.commit())) {
                    log.warn("tag {} of {} moved from {} to {}; the release stays built from {}", s.tag(),
                            GitUrls.redact(url), s.firstCommit(), s.commit(), s.firstCommit());
                }
            }
            Set<Version> built = new HashSet<>(); // finished builds; an unfinished one of an earlier process is resubmitted
            for (BuildRecord b : builds.builds(p.name().normalized())) {
                if (b.status().isFinished()) {
                    parseVersion(b.version()).ifPresent(built::add);
                }
            }
            for (TagState s : TagReport.releases(states)) {
                Version v = s.version().orElseThrow();
                if (!built.contains(v) && !submitted.contains(submissionKey(p.name(), v))) {
                    requests.add(new BuildRequest(p.name(), v, s.tag(), s.firstCommit(), p.subdirectory(),
                            repositories.tree(url)));
                }
            }
        }
        requests.sort(Comparator.comparing(BuildRequest::version).reversed());
        Instant now = clock.instant();
        Instant since = now.minus(settings.refreshInterval());
        for (BuildRequest r : requests) {
            if (submitted.add(submissionKey(r.project(), r.version()))) {
                recent.compute(r.project().normalized(), (k, old) -> {
                    List<Queued> list = new ArrayList<>();
                    if (old != null) {
                        old.stream().filter(q -> !q.at().isBefore(since)).forEach(list::add);
                    }
                    list.add(new Queued(r.version(), now));
                    return List.copyOf(list);
                });
                try {
                    builds.submit(r);
                } catch (RuntimeException e) {
                    submitted.remove(submissionKey(r.project(), r.version())); // the next refresh tries again
                    log.error("cannot queue the build of {} {}: {}", r.project().normalized(), r.version(), e.getMessage(), e);
                    continue;
                }
                log.info("queued build of {} {} from tag {} ({})", r.project().normalized(), r.version(), r.tag(), r.commit());
            }
        }
    }

    private static String submissionKey(ProjectName project, Version version) {
        return project.normalized() + "\n" + version.canonical();
    }

    private static Optional<Version> parseVersion(String text) {
        try {
            return Optional.of(Version.parse(text));
        } catch (InvalidVersionException e) {
            return Optional.empty();
        }
    }

    private void awaitRefresh(CompletableFuture<Void> refresh, Instant deadline) {
        long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        try {
            refresh.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.debug("refresh still running after the listing wait; serving what is known");
        } catch (ExecutionException e) {
            log.debug("refresh failed: {}", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        fetchers.shutdownNow();
        try {
            if (!fetchers.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("a git fetch did not stop within 5 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

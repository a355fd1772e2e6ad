package dev.wheelwright.source;

import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildRequest;
import dev.wheelwright.builds.Builds;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The releases of git-backed projects: after each fetch of a mirror ({@link #scan}) every release (a version tag that
 * is not a duplicate) without a finished build is submitted to {@link Builds}, newest version first, once per
 * process; moved tags are reported once. Listing design (a) of DESIGN.md: a release is listed only once built, so a
 * page request waits ({@link #awaitQueued}) for the project's builds queued within the last {@code refreshInterval}.
 * Thread-safe.
 */
public final class GitReleases {
    private static final Logger log = LoggerFactory.getLogger(GitReleases.class);

    /** A build this process queued, and when. */
    private record Queued(Version version, Instant at) {}

    private final ProjectSources sources;
    private final SourceRepository repositories;
    private final Builds builds;
    private final Clock clock;
    private final Duration refreshInterval;
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Queued>> recent = new ConcurrentHashMap<>();
    private final Set<String> reportedMoves = ConcurrentHashMap.newKeySet();

    /** @param refreshInterval how far back the builds a page request waits for were queued */
    public GitReleases(GitMirrors mirrors, Builds builds, Clock clock, Duration refreshInterval) {
        this.sources = mirrors.sources();
        this.repositories = mirrors.repositories();
        this.builds = Objects.requireNonNull(builds);
        this.clock = Objects.requireNonNull(clock);
        this.refreshInterval = Objects.requireNonNull(refreshInterval);
    }

    /**
     * Waits until {@code deadline} at most for the builds of {@code name} queued within the last
     * {@code refreshInterval} (by its own refresh, one it joined, a webhook or a poll).
     */
    void awaitQueued(ProjectName name, Instant deadline) {
        Instant since = clock.instant().minus(refreshInterval);
        for (Queued q : recent.getOrDefault(name.normalized(), List.of())) {
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

    /** Every tag of {@code source} with its state and build, and {@code status} of its mirror. */
    ProjectTags tags(ProjectSource source, RepositoryStatus status) {
        Map<Version, BuildRecord> byVersion = new HashMap<>();
        for (BuildRecord b : builds.builds(source.name().normalized())) {
            ReleaseRecovery.version(b).ifPresent(v -> byVersion.putIfAbsent(v, b));
        }
        return new ProjectTags(source, status, tagStates(source), byVersion, repositories.deletedTags(source.url()));
    }

    /** Every tag of {@code source} in its mirror, with its state (release, duplicate, moved, not a version...). */
    List<TagState> tagStates(ProjectSource source) {
        return TagReport.analyze(source, repositories.tags(source.url()), repositories.firstSeen(source.url()));
    }

    /** Records new tags as first seen, reports moved tags, submits releases that have no build yet (newest first). */
    void scan(String url) {
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
                    log.warn(
                            "tag {} of {} moved from {} to {}; the release stays built from {}",
                            s.tag(),
                            GitUrls.redact(url),
                            s.firstCommit(),
                            s.commit(),
                            s.firstCommit());
                }
            }
            Set<Version> built =
                    new HashSet<>(); // finished builds; an unfinished one of an earlier process is resubmitted
            for (BuildRecord b : builds.builds(p.name().normalized())) {
                if (b.status().isFinished()) {
                    ReleaseRecovery.version(b).ifPresent(built::add);
                }
            }
            for (TagState s : TagReport.releases(states)) {
                Version v = s.version().orElseThrow();
                if (!built.contains(v) && !submitted.contains(submissionKey(p.name(), v))) {
                    requests.add(new BuildRequest(
                            p.name(), v, s.tag(), s.firstCommit(), p.subdirectory(), repositories.tree(url)));
                }
            }
        }
        requests.sort(Comparator.comparing(BuildRequest::version).reversed());
        submit(requests);
    }

    private void submit(List<BuildRequest> requests) {
        Instant now = clock.instant();
        Instant since = now.minus(refreshInterval);
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
                    log.error(
                            "cannot queue the build of {} {}: {}",
                            r.project().normalized(),
                            r.version(),
                            e.getMessage(),
                            e);
                    continue;
                }
                log.info(
                        "queued build of {} {} from tag {} ({})",
                        r.project().normalized(),
                        r.version(),
                        r.tag(),
                        r.commit());
            }
        }
    }

    private static String submissionKey(ProjectName project, Version version) {
        return project.normalized() + "\n" + version.canonical();
    }
}

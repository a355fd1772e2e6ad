package dev.wheelwright.source;

import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildRequest;
import dev.wheelwright.builds.Builds;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.source.ProjectSource.DevBranch;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The releases of git-backed projects: after each fetch of a mirror ({@link #scan}) every release (a version tag that
 * is not a duplicate) without a finished build is submitted to {@link Builds}, newest version first, once per
 * process; moved tags are reported once. Listing design (a) of DESIGN.md: a release is listed only once built, so a
 * page request waits ({@link #awaitQueued}) for the project's builds this process queued and has not seen finish.
 * Thread-safe.
 */
public final class GitReleases {
    private static final Logger log = LoggerFactory.getLogger(GitReleases.class);

    /** A build this process queued, and when. */
    private record Queued(Version version, Instant at) {}

    private final ProjectSources sources;
    private final SourceRepository repositories;
    private final Builds builds;
    private final ReleaseYanks yanks;
    private final Clock clock;
    private final Duration rememberQueued;
    private final Set<String> submitted = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Queued>> recent = new ConcurrentHashMap<>();
    private final Set<String> reportedMoves = ConcurrentHashMap.newKeySet();

    /**
     * @param yanks how old dev releases are pruned
     * @param rememberQueued how long a queued build is remembered for page requests to wait on (pruned when the project
     *     queues another)
     */
    public GitReleases(GitMirrors mirrors, Builds builds, ReleaseYanks yanks, Clock clock, Duration rememberQueued) {
        this.sources = mirrors.sources();
        this.repositories = mirrors.repositories();
        this.builds = Objects.requireNonNull(builds);
        this.yanks = Objects.requireNonNull(yanks);
        this.clock = Objects.requireNonNull(clock);
        this.rememberQueued = Objects.requireNonNull(rememberQueued);
    }

    /**
     * Waits until {@code deadline} at most for the builds of {@code name} this process queued and has not seen finish
     * (by its own refresh, one it joined, a webhook or a poll); a build seen finished is forgotten, so a page request
     * does not ask for it again. However long ago such a build was queued, a page request waits for it while it is
     * unfinished: pip asks for its projects' pages one after another, each waiting for its own build, so the last one
     * may come well after its build was queued (until #9 it was not waited for after 10 s, and pip found no version).
     */
    void awaitQueued(ProjectName name, Instant deadline) {
        for (Queued q : recent.getOrDefault(name.normalized(), List.of())) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                log.debug("stopped waiting for builds of {}: listing wait used up", name.normalized());
                return;
            }
            Optional<BuildRecord> build =
                    builds.await(name.normalized(), q.version().normalized(), left);
            if (build.isPresent() && build.get().status().isFinished()) {
                recent.computeIfPresent(name.normalized(), (k, list) -> {
                    List<Queued> rest = list.stream().filter(o -> o != q).toList();
                    return rest.isEmpty() ? null : rest;
                });
            }
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
            List<BuildRequest> releases = new ArrayList<>();
            for (TagState s : TagReport.releases(states)) {
                releases.add(new BuildRequest(
                        p.name(),
                        s.version().orElseThrow(),
                        s.tag(),
                        s.firstCommit(),
                        p.subdirectory(),
                        repositories.tree(url)));
            }
            if (p.dev().isPresent()) {
                try {
                    Optional<BuildRequest> dev = devRelease(p, p.dev().get(), releases);
                    prune(p, p.dev().get(), releases, dev.map(BuildRequest::version));
                    dev.ifPresent(releases::add);
                } catch (WheelwrightException e) { // the tag releases are queued all the same
                    log.warn(
                            "cannot list the dev release of {} from branch {}: {}",
                            p.name().normalized(),
                            p.dev().get().branch(),
                            e.getMessage());
                }
            }
            for (BuildRequest r : releases) {
                if (!built.contains(r.version()) && !submitted.contains(submissionKey(p.name(), r.version()))) {
                    requests.add(r);
                }
            }
        }
        requests.sort(Comparator.comparing(BuildRequest::version).reversed());
        submit(requests);
    }

    /**
     * The dev release of the head of {@code dev}'s branch in the mirror: setuptools-scm's next version after the
     * nearest release tag ({@link DevVersions}); empty when the branch is not mirrored or its head is a tag release.
     */
    private Optional<BuildRequest> devRelease(ProjectSource p, DevBranch dev, List<BuildRequest> releases) {
        String head = repositories.mirroredHeads(p.url(), Set.of(dev.branch())).get(dev.branch());
        if (head == null) {
            return Optional.empty();
        }
        Map<String, Version> tagged = new HashMap<>(); // commit → the highest release tagged on it
        for (BuildRequest r : releases) {
            tagged.merge(r.commit(), r.version(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        BranchPosition position = repositories.describe(p.url(), head, tagged.keySet());
        if (position.distance() == 0) {
            return Optional.empty();
        }
        Version version = DevVersions.next(position.base().map(tagged::get), position.distance(), head);
        return Optional.of(new BuildRequest(
                p.name(),
                version,
                dev.branch() + "@" + version.local().orElseThrow().substring(1),
                head,
                p.subdirectory(),
                repositories.tree(p.url())));
    }

    /**
     * Keeps the newest {@code dev.keep()} dev releases of the branch installable without a pin and yanks the files of
     * older ones (PEP 592: pip skips them unless pinned with {@code ==}; nothing is deleted). Failed builds do not
     * count; the one just queued ({@code current}) does.
     */
    private void prune(ProjectSource p, DevBranch dev, List<BuildRequest> releases, Optional<Version> current) {
        Set<Version> tagReleases = new HashSet<>();
        releases.forEach(r -> tagReleases.add(r.version()));
        TreeSet<Version> devs = new TreeSet<>(Comparator.reverseOrder());
        current.ifPresent(devs::add);
        for (BuildRecord b : builds.builds(p.name().normalized())) {
            if (b.status() != BuildRecord.Status.FAILED) {
                ReleaseRecovery.version(b)
                        .filter(v -> DevVersions.isBranchDev(v) && !tagReleases.contains(v))
                        .ifPresent(devs::add);
            }
        }
        int rank = 0;
        for (Version v : devs) {
            if (++rank > dev.keep()) {
                yanks.yank(
                        p.name(),
                        v,
                        "dev release of " + dev.branch() + " pruned: only the newest " + dev.keep()
                                + " are kept (dev-keep)");
            }
        }
    }

    private void submit(List<BuildRequest> requests) {
        Instant now = clock.instant();
        Instant since = now.minus(rememberQueued);
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

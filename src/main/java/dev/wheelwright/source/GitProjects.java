package dev.wheelwright.source;

import dev.wheelwright.index.LocalSource;
import dev.wheelwright.index.ProjectNotFoundException;
import dev.wheelwright.index.SourceLocation;
import dev.wheelwright.python.ProjectName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The git-backed projects as the index and the API see them: which names they own, and before a listing a refresh
 * of the project's mirror plus a wait for the builds it queued, both within {@code listingWait} (design (a) of
 * DESIGN.md: a release is listed once built); and every tag of a project with its state. Thread-safe.
 */
public final class GitProjects implements LocalSource {
    private final ProjectSources sources;
    private final MirrorRefresh refresh;
    private final GitReleases releases;
    private final Clock clock;
    private final Duration listingWait;

    /** @param listingWait how long a page request may wait for its refresh and the builds it queued */
    public GitProjects(
            ProjectSources sources, MirrorRefresh refresh, GitReleases releases, Clock clock, Duration listingWait) {
        this.sources = Objects.requireNonNull(sources);
        this.refresh = Objects.requireNonNull(refresh);
        this.releases = Objects.requireNonNull(releases);
        this.clock = Objects.requireNonNull(clock);
        this.listingWait = Objects.requireNonNull(listingWait);
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
        Instant deadline = clock.instant().plus(listingWait);
        Optional<ProjectSource> source = sources.resolve(name);
        if (source.isEmpty()) {
            return;
        }
        refresh.onDemand(source.get().url(), deadline);
        releases.awaitQueued(name, deadline);
    }

    @Override
    public Optional<SourceLocation> location(ProjectName name) {
        return sources.resolve(name).map(s -> new SourceLocation(s.url(), s.subdirectory()));
    }

    /**
     * Every tag of a git-backed project with its state, after a refresh of its mirror bounded by {@code listingWait}
     * (so a release tagged a moment ago counts); empty for names that are not git-backed.
     */
    Optional<List<TagState>> refreshedTags(ProjectName name) {
        Optional<ProjectSource> source = sources.resolve(name);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        refresh.onDemand(source.get().url(), clock.instant().plus(listingWait));
        return Optional.of(releases.tagStates(source.get()));
    }

    /**
     * Starts a refresh of the project's repository in the background, regardless of the on-demand limit (an admin
     * asked); {@link ProjectNotFoundException} for names that are not git-backed.
     */
    public void refresh(ProjectName name) {
        ProjectSource source = sources.resolve(name)
                .orElseThrow(() -> new ProjectNotFoundException(
                        "No git-backed project named " + name.normalized() + " in this index."));
        refresh.pushed(source.url());
    }

    /** Every tag of a git-backed project with its state; {@link ProjectNotFoundException} for other names. */
    public ProjectTags tags(ProjectName name) {
        ProjectSource source = sources.resolve(name)
                .orElseThrow(() -> new ProjectNotFoundException(
                        "No git-backed project named " + name.normalized() + " in this index."));
        return releases.tags(source, refresh.status(source.url()));
    }
}

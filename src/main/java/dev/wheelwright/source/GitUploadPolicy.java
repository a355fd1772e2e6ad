package dev.wheelwright.source;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.upload.UploadPolicy;
import dev.wheelwright.upload.UploadRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The upload policy of git-backed projects: their releases come from tags, so an upload into one is refused unless
 * a tag gives its version (after a bounded refresh, so a release tagged a moment ago counts). Projects that are not
 * git-backed are not this policy's business. Thread-safe.
 */
public final class GitUploadPolicy implements UploadPolicy {
    private final ProjectSources sources;
    private final SourceRepository repositories;
    private final MirrorRefresh refresh;
    private final Clock clock;
    private final Duration listingWait;

    /** @param listingWait how long an upload may wait for the refresh of its repository */
    public GitUploadPolicy(
            ProjectSources sources,
            SourceRepository repositories,
            MirrorRefresh refresh,
            Clock clock,
            Duration listingWait) {
        this.sources = Objects.requireNonNull(sources);
        this.repositories = Objects.requireNonNull(repositories);
        this.refresh = Objects.requireNonNull(refresh);
        this.clock = Objects.requireNonNull(clock);
        this.listingWait = Objects.requireNonNull(listingWait);
    }

    @Override
    public void check(ProjectName project, Version version) {
        Optional<ProjectSource> source = sources.resolve(project);
        if (source.isEmpty()) {
            return;
        }
        refresh.onDemand(source.get().url(), clock.instant().plus(listingWait));
        List<TagState> states = TagReport.analyze(
                source.get(),
                repositories.tags(source.get().url()),
                repositories.firstSeen(source.get().url()));
        boolean tagged = TagReport.releases(states).stream()
                .anyMatch(s -> s.version().orElseThrow().equals(version));
        if (!tagged) {
            throw new UploadRejectedException("Project " + project.normalized() + " is git-backed: its releases come"
                    + " from git tags, and uploads are accepted only for versions that exist as tags (no tag gives "
                    + version + ").");
        }
    }
}

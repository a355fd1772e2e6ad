package dev.wheelwright.source;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.upload.UploadPolicy;
import dev.wheelwright.upload.UploadRejectedException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The upload policy of git-backed projects: their releases come from tags, so an upload into one is refused unless
 * a tag gives its version (after the bounded refresh of {@link GitProjects#refreshedTags}, so a release tagged a moment
 * ago counts). Projects that are not git-backed are not this policy's business. Thread-safe.
 */
public final class GitUploadPolicy implements UploadPolicy {
    private final GitProjects projects;

    public GitUploadPolicy(GitProjects projects) {
        this.projects = Objects.requireNonNull(projects);
    }

    @Override
    public void check(ProjectName project, Version version) {
        Optional<List<TagState>> states = projects.refreshedTags(project);
        if (states.isEmpty()) {
            return;
        }
        boolean tagged = TagReport.releases(states.get()).stream()
                .anyMatch(s -> s.version().orElseThrow().equals(version));
        if (!tagged) {
            throw new UploadRejectedException("Project " + project.normalized() + " is git-backed: its releases come"
                    + " from git tags, and uploads are accepted only for versions that exist as tags (no tag gives "
                    + version + ").");
        }
    }
}

package dev.wheelwright.source;

import java.util.Objects;

/**
 * What the HTTP edge serves of the git source: the tags of its projects, and its push webhook.
 *
 * @param projects the git-backed projects and their tags
 * @param webhook the signature check and repository matching of push webhooks
 */
public record GitSource(GitProjects projects, GitWebhook webhook) {
    public GitSource {
        Objects.requireNonNull(projects);
        Objects.requireNonNull(webhook);
    }
}

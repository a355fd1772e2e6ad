package dev.wheelwright.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wheelwright.python.InvalidProjectNameException;
import dev.wheelwright.python.ProjectName;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push webhooks of the git source: the signature check of a delivery, and the repositories it names matched to the
 * known projects, whose mirrors are then refreshed. Thread-safe.
 */
public final class GitWebhook {
    private static final Logger log = LoggerFactory.getLogger(GitWebhook.class);

    private final Optional<WebhookSignature> signature;
    private final ProjectSources sources;
    private final MirrorRefresh refresh;

    /** @param signature the verifier of the shared secret; empty: webhooks are not enabled */
    public GitWebhook(Optional<WebhookSignature> signature, ProjectSources sources, MirrorRefresh refresh) {
        this.signature = Objects.requireNonNull(signature);
        this.sources = Objects.requireNonNull(sources);
        this.refresh = Objects.requireNonNull(refresh);
    }

    /**
     * Checks a webhook delivery's proof of the shared secret, the way its host gives it (see {@link WebhookHost}),
     * before anything of the body is read; {@link WebhookRejectedException} when it is missing or wrong, or webhooks
     * have no secret configured.
     *
     * @param header a request header by its name (case-insensitive)
     * @return the host that sent it
     */
    public WebhookHost verify(byte[] body, Function<String, Optional<String>> header) {
        WebhookSignature verifier = signature.orElseThrow(() -> new WebhookRejectedException(
                "Webhooks are not enabled: the environment variable named by git.webhook-secret-env is not set."));
        WebhookHost host = WebhookHost.of(header);
        if (!host.authentic(verifier, body, header)) {
            throw new WebhookRejectedException("Missing or invalid " + host.proofHeader() + " for this webhook.");
        }
        return host;
    }

    /**
     * Refreshes the repository a verified push delivery of {@code host} names (see {@link #refreshRepository});
     * {@link InvalidWebhookException} when the payload names none.
     */
    public List<ProjectName> pushed(WebhookHost host, JsonNode payload) {
        List<String> urls = host.urls(payload);
        if (urls.isEmpty()) {
            throw new InvalidWebhookException(
                    "The " + host.title() + " webhook payload names no repository (no clone URL found).");
        }
        return refreshRepository(urls, host.repositoryName(payload));
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
                    refresh.pushed(p.url());
                }
            }
        }
        return affected;
    }
}

package dev.wheelwright.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The git hosts whose push webhooks {@code POST /hooks/git} understands, told apart by the event header each sends,
 * each with its own proof of the shared secret and its own payload shape. A delivery with none of these headers is
 * taken as GitHub's (the shape most hosts copy).
 */
public enum WebhookHost {
    /** Gitea and Forgejo (and Gogs): {@code X-Gitea-Signature}/{@code X-Forgejo-Signature} (hex HMAC-SHA256). */
    GITEA("Gitea/Forgejo", List.of("X-Forgejo-Event", "X-Gitea-Event", "X-Gogs-Event")),
    /** GitLab: {@code X-Gitlab-Token} is the secret itself, compared in constant time. */
    GITLAB("GitLab", List.of("X-Gitlab-Event")),
    /** Bitbucket Server / Data Center: {@code X-Hub-Signature: sha256=<hex HMAC-SHA256>}. */
    BITBUCKET_SERVER("Bitbucket Server", List.of("X-Event-Key")),
    /** GitHub and GitHub Enterprise: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256>}. */
    GITHUB("GitHub", List.of("X-GitHub-Event"));

    private final String title;
    private final List<String> eventHeaders;

    WebhookHost(String title, List<String> eventHeaders) {
        this.title = title;
        this.eventHeaders = eventHeaders;
    }

    /** The host as messages name it. */
    public String title() {
        return title;
    }

    /** The host that sent a delivery with these headers (looked up case-insensitively). */
    public static WebhookHost of(Function<String, Optional<String>> header) {
        for (WebhookHost host : values()) {
            for (String name : host.eventHeaders) {
                if (header.apply(name).isPresent()) {
                    return host;
                }
            }
        }
        return GITHUB;
    }

    /** The event the delivery says it is, as its host names it (e.g. {@code push}, {@code Push Hook}). */
    Optional<String> event(Function<String, Optional<String>> header) {
        for (String name : eventHeaders) {
            Optional<String> value = header.apply(name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** Whether the delivery proves it knows the secret; a missing or malformed proof does not. */
    boolean authentic(WebhookSignature secret, byte[] body, Function<String, Optional<String>> header) {
        return switch (this) {
            case GITHUB -> secret.verifies(body, header.apply("X-Hub-Signature-256"));
            case GITEA ->
                header.apply("X-Forgejo-Signature")
                        .or(() -> header.apply("X-Gitea-Signature"))
                        .or(() -> header.apply("X-Gogs-Signature"))
                        .map(hex -> secret.verifies(body, Optional.of("sha256=" + hex.strip())))
                        .orElseGet(() -> secret.verifies(body, header.apply("X-Hub-Signature-256")));
            case GITLAB -> header.apply("X-Gitlab-Token").map(secret::isSecret).orElse(false);
            case BITBUCKET_SERVER -> secret.verifies(body, header.apply("X-Hub-Signature"));
        };
    }

    /** Which header should have carried the proof, for the message refusing a delivery. */
    String proofHeader() {
        return switch (this) {
            case GITHUB -> "X-Hub-Signature-256";
            case GITEA -> "X-Gitea-Signature (or X-Forgejo-Signature)";
            case GITLAB -> "X-Gitlab-Token";
            case BITBUCKET_SERVER -> "X-Hub-Signature";
        };
    }

    /** Whether the delivery is the host's connection test rather than a push. */
    public boolean isPing(Function<String, Optional<String>> header) {
        String event = event(header).orElse("").toLowerCase(Locale.ROOT);
        return switch (this) {
            case GITHUB, GITEA -> event.equals("ping");
            case GITLAB -> false; // GitLab's "Test" button sends a real push event
            case BITBUCKET_SERVER -> event.equals("diagnostics:ping");
        };
    }

    /** The repository's clone and web URLs in a push payload; empty when the payload names no repository. */
    List<String> urls(JsonNode payload) {
        List<String> urls = new ArrayList<>();
        switch (this) {
            case GITHUB, GITEA ->
                texts(
                        payload.path("repository"),
                        urls,
                        "clone_url",
                        "html_url",
                        "git_url",
                        "ssh_url",
                        "svn_url",
                        "url");
            case GITLAB -> {
                texts(payload.path("project"), urls, "git_http_url", "git_ssh_url", "http_url", "ssh_url", "web_url");
                texts(payload.path("repository"), urls, "git_http_url", "git_ssh_url", "homepage", "url");
            }
            case BITBUCKET_SERVER -> {
                for (JsonNode link : payload.path("repository").path("links").path("clone")) {
                    texts(link, urls, "href");
                }
                for (JsonNode link : payload.path("repository").path("links").path("self")) {
                    texts(link, urls, "href");
                }
            }
        }
        return urls.stream().distinct().toList();
    }

    /** The repository's short name in a push payload, which may name a project served through a URL template. */
    Optional<String> repositoryName(JsonNode payload) {
        JsonNode name = switch (this) {
            case GITHUB, GITEA -> payload.path("repository").path("name");
            case GITLAB -> payload.path("project").path("path");
            case BITBUCKET_SERVER -> payload.path("repository").path("slug");
        };
        return name.isTextual() && !name.asText().isBlank() ? Optional.of(name.asText()) : Optional.empty();
    }

    private static void texts(JsonNode object, List<String> into, String... fields) {
        for (String field : fields) {
            JsonNode value = object.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                into.add(value.asText());
            }
        }
    }
}

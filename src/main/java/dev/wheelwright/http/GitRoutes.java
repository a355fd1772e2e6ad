package dev.wheelwright.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.index.ProjectNotFoundException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.source.GitSource;
import dev.wheelwright.source.InvalidWebhookException;
import dev.wheelwright.source.ProjectTags;
import dev.wheelwright.source.RepositoryStatus;
import dev.wheelwright.source.TagState;
import dev.wheelwright.source.WebhookHost;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The git source over HTTP: {@code GET /api/v1/projects/{name}/tags} (every tag with its state, and the mirror's
 * fetch state) and {@code POST /hooks/git} (push webhooks of GitHub, Gitea/Forgejo, GitLab and Bitbucket Server, each verified its
 * host's way; refreshes one repository).
 */
record GitRoutes(GitSource git, Access access, ObjectMapper json) implements Routes {
    GitRoutes {
        Objects.requireNonNull(git);
        Objects.requireNonNull(access);
        Objects.requireNonNull(json);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/projects/{project}/tags", this::tags);
        routes.post("/hooks/git", this::hook);
        routes.post("/api/v1/projects/{project}/refresh", this::refresh);
    }

    private void tags(Context ctx) {
        Principal principal = access.reader(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        if (!principal.covers(name.normalized())) {
            throw new ProjectNotFoundException("No git-backed project named " + name.normalized() + " in this index.");
        }
        ProjectTags tags = git.projects().tags(name);
        RepositoryStatus status = tags.repository();
        RepositoryView repository = new RepositoryView(
                status.url(),
                tags.source().origin().name().toLowerCase(Locale.ROOT),
                tags.source().subdirectory(),
                tags.source().tagPattern().map(Pattern::pattern),
                status.lastAttempt().map(Instant::toString),
                status.lastSuccess().map(Instant::toString),
                status.lastError(),
                status.lastErrorAt().map(Instant::toString),
                status.fetches());
        List<TagView> list = tags.tags().stream().map(t -> tag(t, tags)).toList();
        ctx.json(new TagsView(name.normalized(), repository, list));
    }

    /** One tag as the tags API shows it (the tags page shows exactly this). */
    static TagView tag(TagState t, ProjectTags tags) {
        Optional<BuildRecord> build = t.isRelease()
                ? Optional.ofNullable(tags.builds().get(t.version().orElseThrow()))
                : Optional.empty();
        String state;
        if (t.ignoredReason().isPresent()) {
            state = "ignored";
        } else if (t.duplicateOf().isPresent()) {
            state = "duplicate";
        } else {
            state = build.map(b -> b.status().name().toLowerCase(Locale.ROOT)).orElse("pending");
        }
        return new TagView(
                t.tag(),
                t.commit(),
                t.date().toString(),
                t.version().map(Object::toString),
                state,
                t.ignoredReason().isPresent(),
                t.ignoredReason().or(() -> t.duplicateOf().map(d -> "same version as tag " + d + ", which is older")),
                t.duplicateOf(),
                t.moved() ? Optional.of(new MovedView(t.firstCommit(), t.commit())) : Optional.empty(),
                build.map(b -> new TagBuildView(b.status().name().toLowerCase(Locale.ROOT), b.commit(), b.reason())),
                tags.deleted().contains(t.tag()));
    }

    /** Admin: fetch the project's repository now, in the background (202); a form of the tags page returns there. */
    private void refresh(Context ctx) {
        Principal principal = access.admin(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        if (!principal.covers(name.normalized())) {
            throw new ProjectNotFoundException("No git-backed project named " + name.normalized() + " in this index.");
        }
        git.projects().refresh(name);
        if (WebRoutes.fromPage(ctx)) {
            ctx.redirect(WebRoutes.tagsPath(name), HttpStatus.SEE_OTHER);
            return;
        }
        ctx.status(HttpStatus.ACCEPTED).json(new Refreshing(List.of(name.normalized()), Optional.empty()));
    }

    private void hook(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        Function<String, Optional<String>> header = name -> Optional.ofNullable(ctx.header(name));
        WebhookHost host = git.webhook().verify(body, header);
        if (host.isPing(header)) {
            ctx.status(HttpStatus.OK).json(new Pong("pong: " + host.title() + " webhook signature verified"));
            return;
        }
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (IOException e) {
            throw new InvalidWebhookException("The webhook body is not JSON.");
        }
        if (payload == null || !payload.isObject()) {
            throw new InvalidWebhookException("The webhook body is not a JSON object.");
        }
        List<ProjectName> projects = git.webhook().pushed(host, payload);
        ctx.status(HttpStatus.ACCEPTED)
                .json(new Refreshing(
                        projects.stream().map(ProjectName::normalized).toList(),
                        projects.isEmpty()
                                ? Optional.of("no git-backed project uses this repository; nothing to refresh")
                                : Optional.empty()));
    }

    // The JSON bodies; an absent value is null unless marked NON_ABSENT (then the field is left out).

    record TagsView(String project, RepositoryView repository, List<TagView> tags) {}

    record RepositoryView(
            String url,
            String origin,
            Optional<String> subdirectory,
            @JsonProperty("tag_pattern") Optional<String> tagPattern,
            @JsonProperty("last_fetch") Optional<String> lastFetch,
            @JsonProperty("last_success") Optional<String> lastSuccess,
            @JsonProperty("last_error") Optional<String> lastError,
            @JsonProperty("last_error_at") Optional<String> lastErrorAt,
            int fetches) {}

    record TagView(
            String tag,
            String commit,
            String date,
            Optional<String> version,
            String state,
            boolean ignored,
            Optional<String> reason,
            @JsonProperty("duplicate_of") Optional<String> duplicateOf,
            Optional<MovedView> moved,
            Optional<TagBuildView> build,
            @JsonProperty("deleted_at_remote") boolean deletedAtRemote) {}

    record MovedView(String from, String to) {}

    record TagBuildView(String status, String commit, Optional<String> reason) {}

    record Pong(String note) {}

    record Refreshing(
            List<String> refreshing,
            @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> note) {}
}

package dev.wheelwright.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.index.ProjectNotFoundException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.source.GitSource;
import dev.wheelwright.source.InvalidWebhookException;
import dev.wheelwright.source.ProjectTags;
import dev.wheelwright.source.TagState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The git source over HTTP: {@code GET /api/v1/projects/{name}/tags} (every tag with its state, and the mirror's
 * fetch state) and {@code POST /hooks/git} (GitHub-style push webhook, HMAC-verified, refreshes one repository).
 */
final class GitRoutes implements Routes {
    private static final List<String> URL_FIELDS = List.of("clone_url", "html_url", "git_url", "ssh_url", "svn_url", "url");

    private final GitSource git;
    private final Access access;
    private final ObjectMapper json;

    GitRoutes(GitSource git, Access access, ObjectMapper json) {
        this.git = Objects.requireNonNull(git);
        this.access = Objects.requireNonNull(access);
        this.json = Objects.requireNonNull(json);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/projects/{project}/tags", this::tags);
        routes.post("/hooks/git", this::hook);
    }

    private void tags(Context ctx) throws JsonProcessingException {
        Principal principal = access.reader(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        if (!principal.covers(name.normalized())) {
            throw new ProjectNotFoundException("No git-backed project named " + name.normalized() + " in this index.");
        }
        ProjectTags tags = git.projects().tags(name);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", name.normalized());
        Map<String, Object> repo = new LinkedHashMap<>();
        repo.put("url", tags.repository().url());
        repo.put("origin", tags.source().origin().name().toLowerCase(Locale.ROOT));
        repo.put("subdirectory", tags.source().subdirectory().orElse(null));
        repo.put("tag_pattern", tags.source().tagPattern().map(p -> p.pattern()).orElse(null));
        repo.put("last_fetch", tags.repository().lastAttempt().map(Object::toString).orElse(null));
        repo.put("last_success", tags.repository().lastSuccess().map(Object::toString).orElse(null));
        repo.put("last_error", tags.repository().lastError().orElse(null));
        repo.put("last_error_at", tags.repository().lastErrorAt().map(Object::toString).orElse(null));
        repo.put("fetches", tags.repository().fetches());
        body.put("repository", repo);
        List<Map<String, Object>> list = new ArrayList<>();
        for (TagState t : tags.tags()) {
            list.add(tag(t, tags));
        }
        body.put("tags", list);
        ctx.contentType("application/json").result(json.writeValueAsString(body));
    }

    private static Map<String, Object> tag(TagState t, ProjectTags tags) {
        Optional<BuildRecord> build = t.isRelease() ? Optional.ofNullable(tags.builds().get(t.version().orElseThrow())) : Optional.empty();
        String state;
        if (t.ignoredReason().isPresent()) {
            state = "ignored";
        } else if (t.duplicateOf().isPresent()) {
            state = "duplicate";
        } else {
            state = build.map(b -> b.status().name().toLowerCase(Locale.ROOT)).orElse("pending");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", t.tag());
        m.put("commit", t.commit());
        m.put("date", t.date().toString());
        m.put("version", t.version().map(Object::toString).orElse(null));
        m.put("state", state);
        m.put("ignored", t.ignoredReason().isPresent());
        m.put("reason", t.ignoredReason().or(() -> t.duplicateOf().map(d -> "same version as tag " + d + ", which is older"))
                .orElse(null));
        m.put("duplicate_of", t.duplicateOf().orElse(null));
        if (t.moved()) {
            Map<String, Object> moved = new LinkedHashMap<>();
            moved.put("from", t.firstCommit());
            moved.put("to", t.commit());
            m.put("moved", moved);
        } else {
            m.put("moved", null);
        }
        m.put("build", build.map(b -> {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("status", b.status().name().toLowerCase(Locale.ROOT));
            bm.put("commit", b.commit());
            bm.put("reason", b.reason().orElse(null));
            return bm;
        }).orElse(null));
        return m;
    }

    private void hook(Context ctx) throws JsonProcessingException {
        byte[] body = ctx.bodyAsBytes();
        git.webhook().verify(body, Optional.ofNullable(ctx.header("X-Hub-Signature-256")));
        Map<String, Object> answer = new LinkedHashMap<>();
        if ("ping".equals(ctx.header("X-GitHub-Event"))) {
            answer.put("note", "pong: webhook signature verified");
            ctx.status(HttpStatus.OK).contentType("application/json").result(json.writeValueAsString(answer));
            return;
        }
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (IOException e) {
            throw new InvalidWebhookException("The webhook body is not JSON.");
        }
        JsonNode repository = payload == null ? null : payload.get("repository");
        if (repository == null || !repository.isObject()) {
            throw new InvalidWebhookException("The webhook payload has no repository object.");
        }
        List<String> urls = new ArrayList<>();
        for (String field : URL_FIELDS) {
            JsonNode v = repository.get(field);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                urls.add(v.asText());
            }
        }
        Optional<String> name = Optional.ofNullable(repository.get("name")).filter(JsonNode::isTextual).map(JsonNode::asText);
        List<ProjectName> projects = git.webhook().refreshRepository(urls, name);
        answer.put("refreshing", projects.stream().map(ProjectName::normalized).toList());
        if (projects.isEmpty()) {
            answer.put("note", "no git-backed project uses this repository; nothing to refresh");
        }
        ctx.status(HttpStatus.ACCEPTED).contentType("application/json").result(json.writeValueAsString(answer));
    }
}

package dev.wheelwright.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.builds.BuildNotFoundException;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildService;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The builds API: {@code GET /api/v1/builds?project=NAME} (the project's builds, newest version first),
 * {@code GET /api/v1/builds/{project}/{version}/log} (a build's log as text) and
 * {@code POST /api/v1/builds/{project}/{version}/retry} (admin: queue a failed build again, 202).
 */
final class BuildRoutes implements Routes {
    private final BuildService builds;
    private final Access access;
    private final String urlPrefix;
    private final ObjectMapper json = new ObjectMapper();

    BuildRoutes(BuildService builds, Access access, Optional<String> baseUrl) {
        this.builds = Objects.requireNonNull(builds);
        this.access = Objects.requireNonNull(access);
        this.urlPrefix = baseUrl.map(u -> u.replaceAll("/+$", "")).orElse("");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/builds", this::list);
        routes.get("/api/v1/builds/{project}/{version}/log", this::log);
        routes.post("/api/v1/builds/{project}/{version}/retry", this::retry);
    }

    private void list(Context ctx) {
        Principal principal = access.reader(ctx);
        String param = ctx.queryParam("project");
        if (param == null || param.isBlank()) {
            throw new WheelwrightException(Kind.INVALID_INPUT, "Name the project: /api/v1/builds?project=NAME.");
        }
        ProjectName project = ProjectName.parse(param);
        visible(principal, project);
        ArrayNode array = json.createArrayNode();
        for (BuildRecord b : builds.builds(project.normalized())) {
            array.add(render(b));
        }
        ctx.contentType("application/json").result(array.toString());
    }

    private void log(Context ctx) throws IOException {
        Principal principal = access.reader(ctx);
        ProjectName project = ProjectName.parse(ctx.pathParam("project"));
        Version version = Version.parse(ctx.pathParam("version"));
        visible(principal, project);
        Path file = builds.log(project.normalized(), version.normalized());
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            throw new BuildNotFoundException("The log of " + project.normalized() + " " + version + " is gone.");
        }
        ctx.contentType("text/plain; charset=utf-8").header("Cache-Control", "no-cache").result(in);
    }

    private void retry(Context ctx) {
        Principal principal = access.admin(ctx);
        ProjectName project = ProjectName.parse(ctx.pathParam("project"));
        Version version = Version.parse(ctx.pathParam("version"));
        visible(principal, project);
        BuildRecord queued = builds.retry(project.normalized(), version.normalized());
        ctx.status(HttpStatus.ACCEPTED).contentType("application/json").result(render(queued).toString());
    }

    /** A project outside the token's project limit does not exist for it (404, as in the index). */
    private static void visible(Principal principal, ProjectName project) {
        if (!principal.covers(project.normalized())) {
            throw new BuildNotFoundException("No builds of " + project.normalized() + " are known.");
        }
    }

    private ObjectNode render(BuildRecord b) {
        ObjectNode o = json.createObjectNode();
        o.put("project", b.project());
        o.put("version", b.version());
        o.put("tag", b.tag());
        o.put("commit", b.commit());
        o.put("status", b.status().name().toLowerCase(Locale.ROOT));
        o.put("reason", b.reason().orElse(null));
        o.put("log_url", urlPrefix + "/api/v1/builds/" + UrlPaths.segment(b.project()) + "/"
                + UrlPaths.segment(b.version()) + "/log");
        o.put("queued_at", b.queued().toString());
        o.put("started_at", b.started().map(Instant::toString).orElse(null));
        o.put("finished_at", b.finished().map(Instant::toString).orElse(null));
        if (b.started().isPresent() && b.finished().isPresent()) {
            o.put("duration_ms", Duration.between(b.started().get(), b.finished().get()).toMillis());
        } else {
            o.putNull("duration_ms");
        }
        return o;
    }
}

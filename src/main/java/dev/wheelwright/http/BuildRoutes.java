package dev.wheelwright.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.builds.BuildNotFoundException;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildService;
import dev.wheelwright.builds.BuildVerifier;
import dev.wheelwright.builds.Verification;
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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The builds API: {@code GET /api/v1/builds?project=NAME} (the project's builds, newest version first),
 * {@code GET /api/v1/builds/{project}/{version}/log} (a build's log as text),
 * {@code POST /api/v1/builds/{project}/{version}/retry} (admin: queue a failed build again, 202) and
 * {@code POST /api/v1/builds/{project}/{version}/verify} (admin: rebuild the release aside and say whether every file
 * is byte-identical to the stored one, 200; nothing is replaced).
 */
final class BuildRoutes implements Routes {
    private final BuildService builds;
    private final BuildVerifier verifier;
    private final Access access;
    private final String urlPrefix;

    BuildRoutes(BuildService builds, BuildVerifier verifier, Access access, Optional<String> baseUrl) {
        this.builds = Objects.requireNonNull(builds);
        this.verifier = Objects.requireNonNull(verifier);
        this.access = Objects.requireNonNull(access);
        this.urlPrefix = baseUrl.map(u -> u.replaceAll("/+$", "")).orElse("");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/builds", this::list);
        routes.get("/api/v1/builds/{project}/{version}/log", this::log);
        routes.post("/api/v1/builds/{project}/{version}/retry", this::retry);
        routes.post("/api/v1/builds/{project}/{version}/verify", this::verify);
    }

    private void list(Context ctx) {
        Principal principal = access.reader(ctx);
        String param = ctx.queryParam("project");
        if (param == null || param.isBlank()) {
            throw new WheelwrightException(Kind.INVALID_INPUT, "Name the project: /api/v1/builds?project=NAME.");
        }
        ProjectName project = ProjectName.parse(param);
        visible(principal, project);
        List<BuildView> list =
                builds.builds(project.normalized()).stream().map(this::view).toList();
        ctx.json(list);
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
        ctx.contentType("text/plain; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .result(in);
    }

    private void retry(Context ctx) {
        Principal principal = access.admin(ctx);
        ProjectName project = ProjectName.parse(ctx.pathParam("project"));
        Version version = Version.parse(ctx.pathParam("version"));
        visible(principal, project);
        BuildRecord queued = builds.retry(project.normalized(), version.normalized());
        if (WebRoutes.fromPage(ctx)) { // a form of the build page, which shows the queued build
            ctx.redirect(WebRoutes.buildPath(project, version.normalized()), HttpStatus.SEE_OTHER);
            return;
        }
        ctx.status(HttpStatus.ACCEPTED).json(view(queued));
    }

    private void verify(Context ctx) {
        Principal principal = access.admin(ctx);
        ProjectName project = ProjectName.parse(ctx.pathParam("project"));
        Version version = Version.parse(ctx.pathParam("version"));
        visible(principal, project);
        Verification v = verifier.verify(project, version);
        ctx.header("Cache-Control", "no-store")
                .json(new VerificationView(
                        v.project(),
                        v.version(),
                        v.tag(),
                        v.commit(),
                        v.sourceDate().map(Instant::getEpochSecond),
                        v.reproducible(),
                        v.error(),
                        v.logTail(),
                        v.files().stream()
                                .map(f -> new FileCheckView(
                                        f.filename(),
                                        f.storedSha256(),
                                        f.recordedSha256(),
                                        f.rebuiltSha256(),
                                        f.identical()))
                                .toList(),
                        v.started().toString(),
                        v.durationMillis()));
    }

    /** A project outside the token's project limit does not exist for it (404, as in the index). */
    private static void visible(Principal principal, ProjectName project) {
        if (!principal.covers(project.normalized())) {
            throw new BuildNotFoundException("No builds of " + project.normalized() + " are known.");
        }
    }

    private BuildView view(BuildRecord b) {
        return new BuildView(
                b.project(),
                b.version(),
                b.tag(),
                b.commit(),
                b.status().name().toLowerCase(Locale.ROOT),
                b.reason(),
                urlPrefix + "/api/v1/builds/" + UrlPaths.segment(b.project()) + "/" + UrlPaths.segment(b.version())
                        + "/log",
                b.queued().toString(),
                b.started().map(Instant::toString),
                b.finished().map(Instant::toString),
                b.started()
                        .flatMap(s ->
                                b.finished().map(f -> Duration.between(s, f).toMillis())));
    }

    /** A verification as the API shows it (README "Reproducible builds"); an absent value is {@code null}. */
    record VerificationView(
            String project,
            String version,
            String tag,
            String commit,
            @JsonProperty("source_date_epoch") Optional<Long> sourceDateEpoch,
            boolean reproducible,
            Optional<String> error,
            @JsonProperty("log_tail") Optional<String> logTail,
            List<FileCheckView> files,
            @JsonProperty("started_at") String startedAt,
            @JsonProperty("duration_ms") long durationMs) {}

    /** One file of a verification. */
    record FileCheckView(
            String filename,
            @JsonProperty("stored_sha256") Optional<String> storedSha256,
            @JsonProperty("recorded_sha256") Optional<String> recordedSha256,
            @JsonProperty("rebuilt_sha256") Optional<String> rebuiltSha256,
            boolean identical) {}

    /** A build as the API shows it; an absent value is {@code null}. */
    record BuildView(
            String project,
            String version,
            String tag,
            String commit,
            String status,
            Optional<String> reason,
            @JsonProperty("log_url") String logUrl,
            @JsonProperty("queued_at") String queuedAt,
            @JsonProperty("started_at") Optional<String> startedAt,
            @JsonProperty("finished_at") Optional<String> finishedAt,
            @JsonProperty("duration_ms") Optional<Long> durationMs) {}
}

package dev.wheelwright.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.NotAllowedException;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.builds.BuildNotFoundException;
import dev.wheelwright.builds.BuildRecord;
import dev.wheelwright.builds.BuildService;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.ProjectPage;
import dev.wheelwright.index.RecentRelease;
import dev.wheelwright.index.SearchResult;
import dev.wheelwright.notifications.NotificationService;
import dev.wheelwright.provenance.ProvenanceService;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.source.GitSource;
import dev.wheelwright.source.ProjectTags;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The web UI for people, server-rendered from precompiled JTE templates ({@code src/main/jte}): the home page with
 * search, project, release, tags and build pages, the browser sign-in, and the yank API the release page's admin form
 * posts to ({@code POST /api/v1/projects/{name}/{version}/yank} and {@code .../unyank}). Every page asks the same
 * services as the JSON API and the simple index, for the same principal, so access rules hold alike; every value from
 * package metadata is escaped by the templates, and a Markdown README is sanitized by {@link Readmes}.
 */
final class WebRoutes implements Routes {
    static final String SIGN_IN = "/signin";
    static final String STYLESHEET = "/static/wheelwright.css";
    static final String SCRIPT = "/static/wheelwright.js";
    static final String ICON = "/static/favicon.svg";
    /** The sign-in form's pre-session: the login-CSRF token, in a cookie sent only to {@link #SIGN_IN}. */
    static final String SIGN_IN_COOKIE = "wheelwright_signin";

    private static final Pattern PRE_SESSION = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** The UI's own policy: its stylesheet and script from this origin, nothing inline, nothing from elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    static final int PAGE_SIZE = 50;
    private static final int RECENT = 10;
    private static final long LOG_TAIL = 256 * 1024;
    private static final String FROM_PAGE = "page";
    private static final String STARTED = "wheelwright.web.started";

    private final IndexService index;
    private final BuildService builds;
    private final ProvenanceService provenance;
    private final Optional<GitSource> git;
    private final Access access;
    private final Optional<String> baseUrl;
    private final ObjectMapper json;
    private final NotificationService notifications;
    private final Clock clock;
    private final TemplateEngine templates;
    private final Readmes readmes = new Readmes();
    private final SecureRandom random = new SecureRandom();
    private final byte[] stylesheet;
    private final byte[] script;
    private final byte[] icon;

    WebRoutes(
            WheelwrightServer.Services services,
            Access access,
            ObjectMapper json,
            Clock clock,
            NotificationService notifications) {
        this.json = Objects.requireNonNull(json);
        this.notifications = Objects.requireNonNull(notifications);
        this.index = services.index();
        this.builds = services.builds();
        this.provenance = services.provenance();
        this.git = services.git();
        this.access = Objects.requireNonNull(access);
        this.baseUrl = services.baseUrl().map(u -> u.replaceAll("/+$", ""));
        this.clock = Objects.requireNonNull(clock);
        this.templates = TemplateEngine.createPrecompiled(null, ContentType.Html, null, "dev.wheelwright.http");
        this.stylesheet = resource("wheelwright.css");
        this.script = resource("wheelwright.js");
        this.icon = resource("favicon.svg");
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/", timed(this::home));
        routes.get("/project/{project}/", timed(this::project));
        routes.get("/project/{project}/tags/", timed(this::tags));
        routes.get("/project/{project}/{version}/", timed(this::release));
        routes.get("/builds/", timed(this::builds));
        routes.get("/builds/{project}/{version}/", timed(this::build));
        routes.get(SIGN_IN, timed(this::signInForm));
        routes.post(SIGN_IN, this::signIn);
        routes.post("/signout", this::signOut);
        routes.get(STYLESHEET, ctx -> asset(ctx, "text/css; charset=utf-8", stylesheet));
        routes.get(SCRIPT, ctx -> asset(ctx, "text/javascript; charset=utf-8", script));
        routes.get(ICON, ctx -> asset(ctx, "image/svg+xml", icon));
        routes.post("/api/v1/projects/{project}/{version}/yank", ctx -> yank(ctx, true));
        routes.post("/api/v1/projects/{project}/{version}/unyank", ctx -> yank(ctx, false));
    }

    // ---- paths

    static String projectPath(ProjectName name) {
        return "/project/" + UrlPaths.segment(name.normalized()) + "/";
    }

    static String releasePath(ProjectName name, String version) {
        return projectPath(name) + UrlPaths.segment(version) + "/";
    }

    static String tagsPath(ProjectName name) {
        return projectPath(name) + "tags/";
    }

    static String buildPath(ProjectName name, String version) {
        return "/builds/" + UrlPaths.segment(name.normalized()) + "/" + UrlPaths.segment(version) + "/";
    }

    static String fileLink(ProjectName name, String filename) {
        return "/files/" + UrlPaths.segment(name.normalized()) + "/" + UrlPaths.segment(filename);
    }

    /** The home page with a search and a page number. */
    static String pageLink(String q, int page) {
        return "/?" + (q.isEmpty() ? "" : "q=" + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8) + "&") + "page="
                + page;
    }

    /** Whether a state-changing API request came from a UI form (then it answers with a redirect to the page). */
    static boolean fromPage(Context ctx) {
        String type = ctx.contentType();
        return type != null
                && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                && FROM_PAGE.equals(ctx.formParam("from"));
    }

    // ---- pages

    private void home(Context ctx) {
        Principal principal = access.reader(ctx);
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("");
        if (q.length() > 200) {
            throw new WheelwrightException(Kind.INVALID_INPUT, "The search is too long (200 characters at most).");
        }
        int page = pageNumber(ctx.queryParam("page"));
        SearchResult result = index.search(q, page, PAGE_SIZE, principal);
        List<Recent> recent = recent(principal);
        render(
                ctx,
                "home.jte",
                Map.of(
                        "chrome",
                        chrome(ctx, principal, "Wheelwright"),
                        "q",
                        q,
                        "result",
                        result,
                        "recent",
                        recent,
                        "indexUrl",
                        indexUrl(ctx)));
    }

    private static int pageNumber(String param) {
        if (param == null || param.isEmpty()) {
            return 1;
        }
        try {
            int page = Integer.parseInt(param);
            if (page >= 1) {
                return page;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new WheelwrightException(Kind.INVALID_INPUT, "The page number must be a whole number from 1.");
    }

    private void project(Context ctx) {
        Principal principal = access.reader(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        if (redirected(ctx, projectPath(name))) {
            return;
        }
        ProjectPage page = index.page(name, principal);
        String readme = page.description()
                .filter(Readmes::isMarkdown)
                .map(d -> readmes.html(name.normalized(), page.revision(), d))
                .orElse("");
        render(
                ctx,
                "project.jte",
                Map.of(
                        "chrome",
                        chrome(ctx, principal, page.displayName()),
                        "page",
                        page,
                        "pip",
                        "pip install --index-url " + indexUrl(ctx) + " " + name.normalized(),
                        "readme",
                        readme,
                        "links",
                        links(page)));
    }

    /** The project and version a release or build page names, after the reader's access check. */
    private record VersionPage(Principal principal, ProjectName name, Version version) {}

    /**
     * Reads the project and version of a page whose canonical path {@code path} gives; empty when the request was
     * redirected there (a non-normalized spelling).
     */
    private Optional<VersionPage> versionPage(Context ctx, BiFunction<ProjectName, String, String> path) {
        Principal principal = access.reader(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        Version version = Version.parse(ctx.pathParam("version"));
        if (redirected(ctx, path.apply(name, version.normalized()))) {
            return Optional.empty();
        }
        return Optional.of(new VersionPage(principal, name, version));
    }

    private void release(Context ctx) {
        versionPage(ctx, WebRoutes::releasePath).ifPresent(asked -> release(ctx, asked));
    }

    private void release(Context ctx, VersionPage asked) {
        Principal principal = asked.principal();
        ProjectName name = asked.name();
        Version version = asked.version();
        ProjectPage page = index.page(name, principal);
        ProjectPage.Release release = page.release(version.normalized())
                .orElseThrow(() -> new dev.wheelwright.index.ProjectNotFoundException(
                        "No release " + version + " of project " + name.normalized() + " in this index."));
        Optional<BuildRecord> build =
                page.origin() instanceof ProjectPage.Git ? buildOf(name, version) : Optional.empty();
        String log = build.flatMap(b -> logTail(name, b.version())).orElse("");
        render(
                ctx,
                "release.jte",
                Map.of(
                        "chrome",
                        chrome(ctx, principal, page.displayName() + " " + release.version()),
                        "page",
                        page,
                        "release",
                        release,
                        "build",
                        build,
                        "log",
                        log,
                        "buildPath",
                        buildPath(name, version.normalized()),
                        "now",
                        clock.instant(),
                        "origins",
                        provenance.origins(name, principal)));
    }

    private void tags(Context ctx) {
        Principal principal = access.reader(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        if (redirected(ctx, tagsPath(name))) {
            return;
        }
        if (!principal.covers(name.normalized()) || git.isEmpty()) {
            throw new dev.wheelwright.index.ProjectNotFoundException(
                    "No git-backed project named " + name.normalized() + " in this index.");
        }
        ProjectTags tags = git.get().projects().tags(name);
        List<GitRoutes.TagView> rows =
                tags.tags().stream().map(t -> GitRoutes.tag(t, tags)).toList();
        render(
                ctx,
                "tags.jte",
                Map.of(
                        "chrome",
                        chrome(ctx, principal, name.normalized() + " tags"),
                        "name",
                        name,
                        "tags",
                        tags,
                        "rows",
                        rows));
    }

    private void builds(Context ctx) {
        Principal principal = access.reader(ctx);
        if (redirected(ctx, "/builds/")) {
            return;
        }
        List<BuildRecord> all = new ArrayList<>();
        git.ifPresent(g -> g.projects().projects().stream()
                .filter(p -> principal.covers(p.normalized()))
                .forEach(p -> all.addAll(builds.builds(p.normalized()))));
        Comparator<BuildRecord> newest =
                Comparator.comparing(BuildRecord::queued).reversed();
        Map<BuildRecord.Status, List<BuildRecord>> byStatus = new HashMap<>();
        for (BuildRecord.Status s : BuildRecord.Status.values()) {
            byStatus.put(
                    s,
                    all.stream()
                            .filter(b -> b.status() == s)
                            .sorted(newest)
                            .limit(100)
                            .toList());
        }
        render(
                ctx,
                "builds.jte",
                Map.of("chrome", chrome(ctx, principal, "Builds"), "byStatus", byStatus, "now", clock.instant()));
    }

    private void build(Context ctx) {
        versionPage(ctx, WebRoutes::buildPath).ifPresent(asked -> build(ctx, asked));
    }

    private void build(Context ctx, VersionPage asked) {
        ProjectName name = asked.name();
        if (!asked.principal().covers(name.normalized())) {
            throw new BuildNotFoundException("No builds of " + name.normalized() + " are known.");
        }
        BuildRecord build = builds.build(name.normalized(), asked.version().normalized());
        String log = logTail(name, build.version()).orElse("");
        render(
                ctx,
                "build.jte",
                Map.of(
                        "chrome",
                        chrome(ctx, asked.principal(), "Build of " + name.normalized() + " " + build.version()),
                        "build",
                        build,
                        "log",
                        log,
                        "name",
                        name,
                        "now",
                        clock.instant()));
    }

    /**
     * The sign-in form, with its login-CSRF token (OWASP's pre-session for login forms): a random value in a cookie
     * only this path receives (HttpOnly, SameSite=Strict) and the same value in a hidden field. A page of another site
     * can neither read the cookie nor make the browser send it, so it cannot post a sign-in that signs the victim into
     * the attacker's token.
     */
    private void signInForm(Context ctx) {
        signInPage(ctx, "");
    }

    private void signInPage(Context ctx, String error) {
        String preSession = Optional.ofNullable(ctx.cookie(SIGN_IN_COOKIE))
                .filter(v -> PRE_SESSION.matcher(v).matches())
                .orElseGet(() -> {
                    byte[] bytes = new byte[32];
                    random.nextBytes(bytes);
                    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                });
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        SIGN_IN_COOKIE + "=" + preSession + "; Path=" + SIGN_IN + "; HttpOnly; SameSite=Strict"
                                + (secure(ctx) ? "; Secure" : ""));
        render(
                ctx,
                "signin.jte",
                Map.of("chrome", chrome(ctx, Principal.ANONYMOUS, "Sign in"), "error", error, "csrf", preSession));
    }

    /**
     * The sign-in form posted: refused (403) unless it carries the form's login-CSRF token matching its cookie, and
     * when the browser says where the post comes from, that is this site: an {@code Origin} of another host, or
     * Fetch Metadata's {@code Sec-Fetch-Site} other than {@code same-origin} (or {@code none}: typed by the user), is
     * refused. {@code Origin: null} says nothing (our own pages send it: their {@code Referrer-Policy} is
     * {@code no-referrer}), so then the token decides. A valid token becomes the session cookie (HttpOnly,
     * SameSite=Strict) and the browser goes to the home page.
     */
    private void signIn(Context ctx) {
        String origin = ctx.header("Origin");
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if ((origin != null && !origin.strip().equals("null") && !sameSite(ctx, origin))
                || (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none"))) {
            throw new NotAllowedException(
                    "A sign-in from another site's page is refused; sign in from this site's " + SIGN_IN + " page.");
        }
        String cookie = ctx.cookie(SIGN_IN_COOKIE);
        String field = ctx.formParam(Access.CSRF_FIELD);
        if (cookie == null
                || field == null
                || !PRE_SESSION.matcher(cookie).matches()
                || !MessageDigest.isEqual(
                        cookie.getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.US_ASCII))) {
            throw new NotAllowedException(
                    "The sign-in form's CSRF token is missing or wrong; reload " + SIGN_IN + " and sign in again.");
        }
        String token = Optional.ofNullable(ctx.formParam("token")).orElse("").strip();
        if (token.isEmpty() || !access.valid(token)) {
            ctx.status(HttpStatus.UNAUTHORIZED);
            signInPage(ctx, "That token is not valid here: check it, or ask an administrator for a new one.");
            return;
        }
        boolean secure = secure(ctx);
        ctx.res()
                .addHeader(
                        "Set-Cookie",
                        Access.SESSION_COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict"
                                + (secure ? "; Secure" : ""));
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    private boolean secure(Context ctx) {
        return "https".equals(ctx.scheme())
                || baseUrl.map(u -> u.startsWith("https:")).orElse(false);
    }

    /**
     * Whether an {@code Origin} names this site: the host and port of {@code server.base-url}, else of the request's
     * {@code Host} (the scheme is not compared: a TLS-terminating proxy makes the request plain HTTP here).
     */
    private boolean sameSite(Context ctx, String origin) {
        URI from;
        try {
            from = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (from.getHost() == null) {
            return false;
        }
        String own = baseUrl.map(u -> authority(URI.create(u)))
                .orElseGet(() -> Optional.ofNullable(ctx.host()).orElse("").toLowerCase(Locale.ROOT));
        return authority(from).equals(own)
                || (from.getPort() == -1 && authority(from).equals(stripDefaultPort(own)));
    }

    private static String authority(URI uri) {
        String host = Optional.ofNullable(uri.getHost()).orElse("").toLowerCase(Locale.ROOT);
        return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
    }

    private static String stripDefaultPort(String authority) {
        return authority.endsWith(":80") || authority.endsWith(":443")
                ? authority.substring(0, authority.lastIndexOf(':'))
                : authority;
    }

    private void signOut(Context ctx) {
        access.principal(ctx); // checks the CSRF token of a cookie session
        ctx.res().addHeader("Set-Cookie", Access.SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    /** PEP 592 yank (with a reason) or unyank of every local file of a release: admin only. */
    private void yank(Context ctx, boolean yanked) {
        Principal principal = access.admin(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        Version version = Version.parse(ctx.pathParam("version"));
        String reason = yanked ? reason(ctx) : "";
        int changed = index.yank(name, version, yanked, reason, principal);
        if (changed > 0) { // only written to the outbox here: the receivers are sent to in the background
            notifications.yanked(
                    name.normalized(), version.normalized(), yanked, reason, changed, access.principalName(ctx));
        }
        if (fromPage(ctx)) {
            ctx.redirect(releasePath(name, version.normalized()), HttpStatus.SEE_OTHER);
            return;
        }
        ctx.json(new YankView(
                name.normalized(),
                version.normalized(),
                yanked,
                yanked ? Optional.of(reason) : Optional.empty(),
                changed));
    }

    /** The yank reason: the form field {@code reason}, or {@code reason} of a JSON body; may be empty. */
    private String reason(Context ctx) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        String reason = "";
        if (type.startsWith("application/x-www-form-urlencoded")) {
            reason = Optional.ofNullable(ctx.formParam("reason")).orElse("");
        } else if (type.startsWith("application/json") && !ctx.body().isBlank()) {
            YankRequest request;
            try {
                request = json.readValue(ctx.bodyAsBytes(), YankRequest.class);
            } catch (IOException e) {
                throw new WheelwrightException(Kind.INVALID_INPUT, "The body must be JSON like {\"reason\": \"...\"}.");
            }
            reason = request == null || request.reason() == null ? "" : request.reason();
        }
        reason = reason.strip();
        if (reason.length() > 500 || reason.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw new WheelwrightException(
                    Kind.INVALID_INPUT, "The yank reason must be one line of at most 500 characters.");
        }
        return reason;
    }

    /** Body of a yank request. */
    record YankRequest(String reason) {}

    /** Answer of a yank or unyank. */
    record YankView(String project, String version, boolean yanked, Optional<String> reason, int changed) {}

    // ---- helpers

    /**
     * A release on the home page's recent list: hosted (uploaded or imported), or from git with its build's state;
     * linked to its release page once it has files, else to its build.
     */
    record Recent(ProjectName project, String version, Instant when, Optional<BuildRecord.Status> build, String link) {}

    /**
     * The {@link #RECENT} newest releases the principal may see: those whose files came last, and the git releases
     * whose builds were queued last (queued, running, failed: no files yet), each git release with its build's state.
     */
    private List<Recent> recent(Principal principal) {
        Map<String, Recent> byRelease = new HashMap<>();
        Map<String, BuildRecord> recentBuilds = new HashMap<>();
        for (BuildRecord b : builds.recent(RECENT)) {
            if (principal.covers(b.project())) {
                ProjectName name = ProjectName.parse(b.project());
                recentBuilds.put(b.project() + " " + b.version(), b);
                byRelease.put(
                        b.project() + " " + b.version(),
                        new Recent(
                                name,
                                b.version(),
                                b.finished().or(b::started).orElse(b.queued()),
                                Optional.of(b.status()),
                                b.status() == BuildRecord.Status.SUCCEEDED
                                        ? releasePath(name, b.version())
                                        : buildPath(name, b.version())));
            }
        }
        for (RecentRelease r : index.recent(RECENT, principal)) {
            String key = r.project().normalized() + " " + r.version();
            Optional<BuildRecord> build = Optional.ofNullable(recentBuilds.get(key));
            if (build.isEmpty() && r.uploadedBy().equals(BuildService.UPLOADER)) {
                build = builds.builds(r.project().normalized()).stream()
                        .filter(b -> b.version().equals(r.version()))
                        .findFirst();
            }
            byRelease.put(
                    key,
                    new Recent(
                            r.project(),
                            r.version(),
                            r.when(),
                            build.map(BuildRecord::status),
                            releasePath(r.project(), r.version())));
        }
        return byRelease.values().stream()
                .sorted(Comparator.comparing(Recent::when).reversed())
                .limit(RECENT)
                .toList();
    }

    /** Who is looking, and what the page chrome needs (sign-in state, admin controls, the CSRF token). */
    record Chrome(String title, String user, boolean admin, String csrf, boolean session) {}

    private Chrome chrome(Context ctx, Principal principal, String title) {
        Optional<String> csrf = principal.isAnonymous() ? Optional.empty() : access.csrf(ctx);
        return new Chrome(
                title,
                principal.isAnonymous() ? "" : principal.name(),
                principal.has(Scope.ADMIN),
                csrf.orElse(""),
                csrf.isPresent());
    }

    /** A link from metadata that may be rendered as one (absolute http or https); others are shown as text. */
    record Shown(String label, String url, boolean linkable) {}

    private static List<Shown> links(ProjectPage page) {
        return page.urls().stream()
                .map(l -> new Shown(l.label(), l.url(), Html.href(l.url()).isPresent()))
                .toList();
    }

    private String indexUrl(Context ctx) {
        return baseUrl.orElseGet(() -> ctx.scheme() + "://" + (ctx.host() == null ? "localhost" : ctx.host()))
                + "/simple/";
    }

    /** Redirects (301, like {@code /simple/}) to the canonical path; true when it did. */
    private static boolean redirected(Context ctx, String canonical) {
        if (ctx.path().equals(canonical)) {
            return false;
        }
        String query = ctx.queryString();
        ctx.header("Location", query == null || query.isEmpty() ? canonical : canonical + "?" + query);
        ctx.status(HttpStatus.MOVED_PERMANENTLY);
        return true;
    }

    private Optional<BuildRecord> buildOf(ProjectName name, Version version) {
        return builds.builds(name.normalized()).stream()
                .filter(b -> b.version().equals(version.normalized()))
                .findFirst();
    }

    /** The last {@link #LOG_TAIL} bytes of a build's log; empty when it never started or the log is gone. */
    private Optional<String> logTail(ProjectName name, String version) {
        Path file;
        try {
            file = builds.log(name.normalized(), version);
        } catch (BuildNotFoundException e) {
            return Optional.empty();
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            channel.position(Math.max(0, size - LOG_TAIL));
            InputStream in = Channels.newInputStream(channel);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(
                    size > LOG_TAIL ? "[… the log's start is cut; the builds API has all of it]\n" + text : text);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * A page handler that notes when it started, so {@link #render} can say in a {@code Server-Timing} header (W3C
     * Server Timing, shown by browsers' developer tools) how long the server took: access check, service calls and
     * template, without the network.
     */
    private static Handler timed(Handler page) {
        return ctx -> {
            ctx.attribute(STARTED, System.nanoTime());
            page.handle(ctx);
        };
    }

    private void render(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(8192);
        templates.render(template, params, out);
        Long started = ctx.attribute(STARTED);
        if (started != null) {
            ctx.header(
                    "Server-Timing",
                    String.format(Locale.ROOT, "render;dur=%.3f", (System.nanoTime() - started) / 1e6));
        }
        ctx.attribute(SecurityHeaders.CSP_ATTRIBUTE, CONTENT_SECURITY_POLICY);
        ctx.header("Cache-Control", "no-cache");
        ctx.html(out.toString());
    }

    private static void asset(Context ctx, String type, byte[] body) {
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(type).result(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebRoutes.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the resource /web/" + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Elapsed time for pages: "4 s", "3 min 2 s", "1 h 5 min". */
    static String elapsed(Instant from, Instant to) {
        long s = Math.max(0, Duration.between(from, to).toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /**
     * Who ran a build, for people: "host ci-3 · backend hatchling.build 1.21.0 · Python 3.11.2", each part as far as
     * the build recorded it.
     */
    static String builder(BuildRecord.Builder b) {
        if (!b.isKnown()) {
            return "not recorded (the build ran before builders were recorded, or has not started)";
        }
        List<String> parts = new ArrayList<>();
        b.host().ifPresent(h -> parts.add("host " + h));
        b.backend()
                .ifPresent(n -> parts.add(
                        "backend " + n + b.backendVersion().map(v -> " " + v).orElse("")));
        b.python().ifPresent(p -> parts.add("Python " + p));
        return String.join(" · ", parts);
    }

    /** A size for people: bytes, KB or MB (1024-based, one decimal). */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }
}

package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.ProjectNotFoundException;
import dev.wheelwright.index.ProjectRevision;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.upstream.ProxiedListing;
import dev.wheelwright.upstream.UpstreamService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PEP 503/691 simple pages: the project list and project pages, HTML or JSON by negotiation, with ETags. */
final class SimpleIndexRoutes implements Routes {
    private static final Logger log = LoggerFactory.getLogger(SimpleIndexRoutes.class);

    private final IndexService index;
    private final SimplePages pages;
    private final Access access;
    private final UpstreamService upstream;

    SimpleIndexRoutes(IndexService index, SimplePages pages, Access access, UpstreamService upstream) {
        this.index = Objects.requireNonNull(index);
        this.pages = Objects.requireNonNull(pages);
        this.access = Objects.requireNonNull(access);
        this.upstream = Objects.requireNonNull(upstream);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/simple/", this::root);
        routes.head("/simple/", this::root);
        routes.get("/simple/{project}/", this::project);
        routes.head("/simple/{project}/", this::project);
    }

    private void root(Context ctx) {
        Principal principal = access.reader(ctx);
        MediaTypes type = negotiate(ctx);
        if (!ctx.path().endsWith("/")) {
            redirect(ctx, "/simple/");
            return;
        }
        send(ctx, type, pages.root(index.projects(principal), type));
    }

    private void project(Context ctx) {
        Principal principal = access.reader(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        MediaTypes type = negotiate(ctx);
        String canonical = "/simple/" + UrlPaths.segment(name.normalized()) + "/";
        if (!ctx.path().equals(canonical)) {
            redirect(ctx, canonical);
            return;
        }
        if (!principal.covers(name.normalized())) {
            throw notFound(name);
        }
        if (!index.isLocal(name)) {
            // not local: the upstreams' page, never merged with anything (dependency-confusion protection)
            ProxiedListing proxied = upstream.listing(name).orElseThrow(() -> notFound(name));
            send(ctx, type, pages.proxied(proxied, type));
            return;
        }
        ProjectRevision project = index.project(name, principal).orElseThrow(() -> notFound(name));
        if (upstream.merges(name)) {
            Optional<ProxiedListing> proxied;
            try {
                proxied = upstream.listing(name);
            } catch (WheelwrightException e) {
                log.warn("listing {} without its upstream files: {}", name.normalized(), e.getMessage());
                proxied = Optional.empty();
            }
            if (proxied.isPresent()) {
                send(ctx, type, pages.merged(index.listing(name, principal), proxied.get(), type));
                return;
            }
        }
        send(ctx, type, pages.project(project, type, () -> index.listing(name, principal)));
    }

    private static ProjectNotFoundException notFound(ProjectName name) {
        return new ProjectNotFoundException("No project named " + name.normalized() + " in this index.");
    }

    private static MediaTypes negotiate(Context ctx) {
        return MediaTypes.negotiate(
                Optional.ofNullable(ctx.queryParam("format")), Optional.ofNullable(ctx.header("Accept")));
    }

    private static void redirect(Context ctx, String location) {
        String query = ctx.queryString();
        ctx.header("Location", query == null || query.isEmpty() ? location : location + "?" + query);
        ctx.status(HttpStatus.MOVED_PERMANENTLY);
    }

    private static void send(Context ctx, MediaTypes type, SimplePages.Rendered page) {
        ctx.header("Vary", "Accept");
        ctx.header("ETag", page.etag());
        ctx.header("Cache-Control", "no-cache");
        String contentType = type.isJson() ? type.type() : type.type() + "; charset=utf-8";
        ctx.contentType(contentType);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && Conditional.matches(ifNoneMatch, page.etag())) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.res().setContentLength(page.body().length);
        if (!ctx.method().name().equals("HEAD")) {
            ctx.result(page.body());
        }
    }
}

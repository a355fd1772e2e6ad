package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.Listing;
import dev.wheelwright.python.ProjectName;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/** PEP 503/691 simple pages: the project list and project pages, HTML or JSON by negotiation, with ETags. */
record SimpleIndexRoutes(IndexService index, SimplePages pages, Access access) implements Routes {
    SimpleIndexRoutes {
        Objects.requireNonNull(index);
        Objects.requireNonNull(pages);
        Objects.requireNonNull(access);
    }

    /** The route templates, also the {@code uri} of their requests' meters. */
    static final String ROOT = "/simple/";

    static final String PROJECT = "/simple/{project}/";

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(ROOT, this::root);
        routes.head(ROOT, this::root);
        routes.get(PROJECT, this::project);
        routes.head(PROJECT, this::project);
    }

    private void root(Context ctx) {
        Principal principal = access.reader(ctx);
        MediaTypes type = negotiate(ctx);
        if (!ctx.path().endsWith("/")) {
            redirect(ctx, ROOT);
            return;
        }
        HotPath.handedOn(ctx, Void.class); // a failure the hot path met computing this very page is thrown
        send(ctx, type, rootPage(principal, type));
    }

    private void project(Context ctx) {
        Principal principal = access.reader(ctx);
        ProjectName name = ProjectName.parse(ctx.pathParam("project"));
        MediaTypes type = negotiate(ctx);
        String canonical = canonicalPath(name);
        if (!ctx.path().equals(canonical)) {
            redirect(ctx, canonical);
            return;
        }
        HotPath.handedOn(ctx, Void.class); // a failure the hot path met computing this very page is thrown
        send(ctx, type, projectPage(name, principal, type));
    }

    /** Where a project's page is: the only path it is served at; any other spelling is redirected here. */
    static String canonicalPath(ProjectName name) {
        return "/simple/" + UrlPaths.segment(name.normalized()) + "/";
    }

    /** The project list as this principal sees it, rendered (or from the page cache). */
    SimplePages.Rendered rootPage(Principal principal, MediaTypes type) {
        return pages.root(index.projectList(principal), type);
    }

    /** A project's page as this principal sees it, by the one door's decision (local, proxied or merged). */
    SimplePages.Rendered projectPage(ProjectName name, Principal principal, MediaTypes type) {
        Listing listing = index.resolve(name, principal);
        if (listing instanceof Listing.Local local) {
            return pages.project(local.project(), type, local.files());
        } else if (listing instanceof Listing.Proxied proxied) {
            return pages.proxied(proxied.upstream(), type);
        }
        Listing.Merged merged = (Listing.Merged) listing;
        return pages.merged(merged.local(), merged.upstream(), type);
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
        ctx.contentType(contentType(type));
        byte[] body = answer(page, ctx.header("Accept-Encoding"), ctx.header("If-None-Match"), ctx::header);
        if (body == null) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.res().setContentLength(body.length);
        if (!ctx.method().name().equals("HEAD")) {
            ctx.result(body);
        }
    }

    /** The {@code Content-Type} of a page of this type. */
    static String contentType(MediaTypes type) {
        return type.isJson() ? type.type() : type.type() + ";charset=utf-8";
    }

    /**
     * How a page is sent, whatever serves the request: gzip-encoded when the client accepts it (pip does), each
     * representation with its own ETag; a {@code 304} when the client has either one, answered with the ETag of the
     * one it would get now. Gives the headers to {@code header} (all but the content type and length) and returns the
     * body to send, or null for a {@code 304}.
     */
    static byte[] answer(
            SimplePages.Rendered page, String acceptEncoding, String ifNoneMatch, BiConsumer<String, String> header) {
        boolean gzip = ContentCodings.acceptsGzip(acceptEncoding);
        header.accept("Vary", "Accept, Accept-Encoding");
        header.accept("ETag", gzip ? page.gzipEtag() : page.etag());
        header.accept("Cache-Control", "no-cache");
        if (ifNoneMatch != null
                && (Conditional.matches(ifNoneMatch, page.etag())
                        || Conditional.matches(ifNoneMatch, page.gzipEtag()))) {
            return null;
        }
        if (gzip) {
            header.accept("Content-Encoding", "gzip");
            return page.gzip();
        }
        return page.body();
    }
}

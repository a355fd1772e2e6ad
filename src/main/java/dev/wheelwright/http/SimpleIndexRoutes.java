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

/** PEP 503/691 simple pages: the project list and project pages, HTML or JSON by negotiation, with ETags. */
record SimpleIndexRoutes(IndexService index, SimplePages pages, Access access) implements Routes {
    SimpleIndexRoutes {
        Objects.requireNonNull(index);
        Objects.requireNonNull(pages);
        Objects.requireNonNull(access);
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
        send(ctx, type, pages.root(index.projectList(principal), type));
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
        Listing listing = index.resolve(name, principal);
        if (listing instanceof Listing.Local local) {
            send(ctx, type, pages.project(local.project(), type, local.files()));
        } else if (listing instanceof Listing.Proxied proxied) {
            send(ctx, type, pages.proxied(proxied.upstream(), type));
        } else {
            Listing.Merged merged = (Listing.Merged) listing;
            send(ctx, type, pages.merged(merged.local(), merged.upstream(), type));
        }
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

    /**
     * Sends a page: gzip-encoded when the client accepts it (pip does), each representation with its own ETag; a
     * {@code 304} when the client has either one, answered with the ETag of the one it would get now.
     */
    private static void send(Context ctx, MediaTypes type, SimplePages.Rendered page) {
        boolean gzip = ContentCodings.acceptsGzip(ctx.header("Accept-Encoding"));
        String etag = gzip ? page.gzipEtag() : page.etag();
        ctx.header("Vary", "Accept, Accept-Encoding");
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        String contentType = type.isJson() ? type.type() : type.type() + "; charset=utf-8";
        ctx.contentType(contentType);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null
                && (Conditional.matches(ifNoneMatch, page.etag())
                        || Conditional.matches(ifNoneMatch, page.gzipEtag()))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        byte[] body = gzip ? page.gzip() : page.body();
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
        }
        ctx.res().setContentLength(body.length);
        if (!ctx.method().name().equals("HEAD")) {
            ctx.result(body);
        }
    }
}

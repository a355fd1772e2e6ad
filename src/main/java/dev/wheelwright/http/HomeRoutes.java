package dev.wheelwright.http;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.ProjectSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;

/** The human front page: how to use this index and the projects in it. */
final class HomeRoutes implements Routes {
    private final IndexService index;
    private final Access access;

    HomeRoutes(IndexService index, Access access) {
        this.index = Objects.requireNonNull(index);
        this.access = Objects.requireNonNull(access);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/", this::home);
    }

    private void home(Context ctx) {
        Principal principal = access.reader(ctx);
        List<ProjectSummary> projects = index.projects(principal);
        String host = ctx.host() == null ? "HOST" : ctx.host();
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Wheelwright</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}")
                .append("code{background:#f3f3f3;padding:.1em .3em}li{margin:.2em 0}</style>\n</head>\n<body>\n")
                .append("<h1>Wheelwright</h1>\n<p>Install with <code>pip install --index-url ")
                .append(Html.text(ctx.scheme() + "://" + host + "/simple/"))
                .append(" PROJECT</code>. The raw index is at <a href=\"/simple/\">/simple/</a>.</p>\n")
                .append("<h2>Projects (")
                .append(projects.size())
                .append(")</h2>\n<ul>\n");
        for (ProjectSummary p : projects) {
            sb.append("<li><a href=\"/simple/")
                    .append(Html.attr(UrlPaths.segment(p.name().normalized())))
                    .append("/\">")
                    .append(Html.text(p.displayName()))
                    .append("</a>");
            if (!p.summary().isEmpty()) {
                sb.append(" — ").append(Html.text(p.summary()));
            }
            sb.append("</li>\n");
        }
        sb.append("</ul>\n</body>\n</html>\n");
        ctx.html(sb.toString());
    }
}

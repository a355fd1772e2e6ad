package dev.wheelwright.http;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.ProjectCatalog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Objects;

/** Liveness ({@code /healthz}: the process answers) and readiness ({@code /readyz}: the metadata store answers). */
final class HealthRoutes implements Routes {
    private static final ProjectName READINESS_PROBE = ProjectName.parse("readiness-probe");

    private final ProjectCatalog store;

    HealthRoutes(ProjectCatalog store) {
        this.store = Objects.requireNonNull(store);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/healthz", ctx -> ok(ctx, "ok"));
        routes.get("/readyz", this::ready);
    }

    private void ready(Context ctx) {
        try {
            store.project(READINESS_PROBE);
        } catch (RuntimeException e) {
            HttpErrors.respond(ctx, HttpStatus.SERVICE_UNAVAILABLE, "not ready: the metadata store does not answer");
            return;
        }
        ok(ctx, "ready");
    }

    private static void ok(Context ctx, String text) {
        ctx.contentType("text/plain; charset=utf-8").result(text + "\n");
    }
}

package dev.wheelwright.http;

import dev.wheelwright.index.IndexService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Objects;

/** Liveness ({@code /healthz}: the process answers) and readiness ({@code /readyz}: the metadata store answers). */
final class HealthRoutes implements Routes {
    private final IndexService index;

    HealthRoutes(IndexService index) {
        this.index = Objects.requireNonNull(index);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/healthz", ctx -> ok(ctx, "ok"));
        routes.get("/readyz", this::ready);
    }

    private void ready(Context ctx) {
        if (!index.ready()) {
            HttpErrors.respond(ctx, HttpStatus.SERVICE_UNAVAILABLE, "not ready: the metadata store does not answer");
            return;
        }
        ok(ctx, "ready");
    }

    private static void ok(Context ctx, String text) {
        ctx.contentType("text/plain; charset=utf-8").result(text + "\n");
    }
}

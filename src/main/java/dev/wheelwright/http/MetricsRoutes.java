package dev.wheelwright.http;

import dev.wheelwright.upstream.UpstreamMetrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Objects;

/** {@code GET /metrics}: counters in the Prometheus text exposition format (0.0.4). */
final class MetricsRoutes implements Routes {
    private final UpstreamMetrics upstream;

    MetricsRoutes(UpstreamMetrics upstream) {
        this.upstream = Objects.requireNonNull(upstream);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/metrics", this::metrics);
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        ctx.result(upstream.render());
    }
}

package dev.wheelwright.http;

import dev.wheelwright.health.HealthService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Liveness ({@code /healthz}: the process answers, {@code {"status":"up"}}) and readiness ({@code /readyz}: 200
 * {@code "ready"} or 503 {@code "not ready"}, with each check and the degraded git remotes and upstreams, which do not
 * make the server unready). Both JSON, both public (probes carry no token).
 */
final class HealthRoutes implements Routes {
    private final HealthService health;

    HealthRoutes(HealthService health) {
        this.health = Objects.requireNonNull(health);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/healthz", ctx -> ctx.status(HttpStatus.OK).json(Map.of("status", "up")));
        routes.get("/readyz", this::ready);
    }

    private void ready(Context ctx) {
        HealthService.Readiness r = health.readiness();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.ready() ? "ready" : "not ready");
        body.put("checks", r.checks());
        Map<String, Object> degraded = new LinkedHashMap<>();
        degraded.put("git", remotes(r.git()));
        degraded.put("upstreams", remotes(r.upstreams()));
        body.put("degraded", degraded);
        ctx.status(r.ready() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
    }

    private static List<Map<String, String>> remotes(List<HealthService.Degraded> remotes) {
        return remotes.stream()
                .map(d -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("name", d.name());
                    m.put("since", d.since().toString());
                    m.put("problem", d.problem());
                    return m;
                })
                .toList();
    }
}

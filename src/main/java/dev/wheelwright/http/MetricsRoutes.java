package dev.wheelwright.http;

import dev.wheelwright.auth.AuthenticationRequiredException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /metrics}: every meter of the server in the Prometheus text exposition format (0.0.4). With a metrics
 * token ({@code metrics.token-env}) the scraper must send {@code Authorization: Bearer <token>} and the read guard
 * does not apply; without one, {@code /metrics} is read like any page.
 */
final class MetricsRoutes implements Routes {
    static final String PATH = "/metrics";

    private final PrometheusMeterRegistry registry;
    private final Optional<byte[]> token;

    MetricsRoutes(PrometheusMeterRegistry registry, Optional<String> token) {
        this.registry = Objects.requireNonNull(registry);
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(PATH, this::metrics);
    }

    private void metrics(Context ctx) {
        token.ifPresent(expected -> {
            String header = ctx.header("Authorization");
            String prefix = "bearer ";
            boolean bearer = header != null
                    && header.length() > prefix.length()
                    && header.toLowerCase(Locale.ROOT).startsWith(prefix);
            byte[] sent =
                    bearer ? header.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(sent, expected)) { // constant time: the token is a secret
                throw new AuthenticationRequiredException(
                        "/metrics needs the metrics token: send Authorization: Bearer <token>.");
            }
        });
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
        ctx.result(registry.scrape());
    }
}

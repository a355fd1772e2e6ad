package dev.wheelwright.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.TokenService;
import dev.wheelwright.builds.BuildService;
import dev.wheelwright.builds.BuildVerifier;
import dev.wheelwright.health.HealthService;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.notifications.NotificationService;
import dev.wheelwright.provenance.ProvenanceService;
import dev.wheelwright.source.GitSource;
import dev.wheelwright.upload.UploadService;
import dev.wheelwright.upstream.UpstreamService;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The HTTP server: every route of Wheelwright on one Javalin instance. */
public final class WheelwrightServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WheelwrightServer.class);
    static final String REQUEST_ID = "wheelwright.request-id";

    private final Javalin app;
    private final String host;
    private final int port;

    /** What the server needs, wired by the composition root. */
    public record Services(
            IndexService index,
            UploadService uploads,
            TokenService tokens,
            boolean anonymousRead,
            Optional<String> baseUrl,
            UpstreamService upstream,
            BuildService builds,
            BuildVerifier verifier,
            Optional<GitSource> git,
            ProvenanceService provenance) {
        public Services {
            Objects.requireNonNull(index);
            Objects.requireNonNull(uploads);
            Objects.requireNonNull(tokens);
            Objects.requireNonNull(baseUrl);
            Objects.requireNonNull(upstream);
            Objects.requireNonNull(builds);
            Objects.requireNonNull(verifier);
            Objects.requireNonNull(git);
            Objects.requireNonNull(provenance);
        }
    }

    /**
     * What the operations routes need: {@code /metrics} and who may read it, {@code /readyz}.
     *
     * @param registry the process's meters; the server adds its request, upload and Jetty meters
     * @param token the bearer token a scraper must send; empty: {@code /metrics} is read like any page
     * @param health the readiness checks
     * @param notifications where uploads are announced
     */
    public record Operations(
            PrometheusMeterRegistry registry,
            Optional<String> token,
            HealthService health,
            NotificationService notifications) {
        public Operations {
            Objects.requireNonNull(registry);
            Objects.requireNonNull(token);
            Objects.requireNonNull(health);
            Objects.requireNonNull(notifications);
        }
    }

    /** A server on {@code host:port} (0: any free port); {@code json} is the shared mapper, Javalin's JSON mapper too. */
    public WheelwrightServer(
            String host, int port, Duration shutdownTimeout, Services services, ObjectMapper json, Operations meters) {
        this.host = Objects.requireNonNull(host);
        Objects.requireNonNull(json);
        this.port = port;
        Access accessControl = new Access(
                services.tokens(),
                services.anonymousRead(),
                meters.token().isPresent() ? Set.of(MetricsRoutes.PATH) : Set.of());
        HttpMetrics metrics = new HttpMetrics(meters.registry());
        RequestLog requestLog = new RequestLog(metrics);
        SimplePages pages = new SimplePages(json, services.baseUrl());
        SimpleIndexRoutes simple = new SimpleIndexRoutes(services.index(), pages, accessControl);
        FileRoutes files = new FileRoutes(services.index(), services.provenance(), accessControl);
        List<Routes> routes = new ArrayList<>(List.of(
                new HealthRoutes(meters.health()),
                simple,
                files,
                new ProvenanceRoutes(services.index(), services.provenance(), accessControl),
                new MetricsRoutes(meters.registry(), meters.token()),
                new UploadRoutes(services.uploads(), accessControl, metrics, meters.notifications()),
                new WebRoutes(services, accessControl, json, java.time.Clock.systemUTC(), meters.notifications()),
                new BuildRoutes(services.builds(), services.verifier(), accessControl, services.baseUrl())));
        services.git().ifPresent(git -> routes.add(new GitRoutes(git, accessControl, json)));
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.startup.showOldJavalinVersionWarning = false;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.host = host;
            config.jetty.port = port;
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(shutdownTimeout.toMillis());
                server.setStopAtShutdown(false); // Wheelwright's own shutdown hook stops the server, then the storage
                server.setErrorHandler(new ProtocolErrors()); // requests Jetty rejects before any route runs
                // in front of Javalin's servlet (Javalin puts its context inside the innermost handler it finds): the
                // hot paths of simple pages and of files
                HotPages hotPages = new HotPages(simple, accessControl, requestLog, metrics);
                hotPages.setHandler(new HotFiles(services.index(), files, accessControl, requestLog, metrics));
                server.setHandler(hotPages);
                metrics.threadPool(server.getThreadPool());
            });
            config.requestLogger.http((ctx, ms) -> {
                String id = ctx.attribute(REQUEST_ID);
                Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
                requestLog.finished(
                        id == null ? RequestIds.accept(Optional.empty()) : id,
                        ctx.method().name(),
                        ctx.path(),
                        endpoint == null ? HttpMetrics.UNMATCHED : endpoint.path,
                        ctx.statusCode(),
                        ms,
                        accessControl.principalName(ctx));
            });
            config.routes.before(
                    ctx -> { // one handler for both: each before-handler costs every request its match
                        // first: every later line of this request carries the id
                        String hot = ctx.attribute(REQUEST_ID); // given by the hot path if it looked first
                        String id = hot != null
                                ? hot
                                : RequestIds.accept(Optional.ofNullable(ctx.header(RequestIds.HEADER)));
                        ctx.attribute(REQUEST_ID, id);
                        ctx.header(RequestIds.HEADER, id);
                        MDC.put(RequestIds.MDC_KEY, id);
                        accessControl.guardReads(ctx);
                    });
            config.routes.after(SecurityHeaders::apply);
            HttpErrors.addTo(config.routes);
            config.routes.error(HttpStatus.NOT_FOUND.getCode(), "*", ctx -> {
                if (ctx.result() == null) {
                    HttpErrors.respond(ctx, HttpStatus.NOT_FOUND, "Not found: " + ctx.path());
                }
            });
            for (Routes r : routes) {
                r.addTo(config.routes);
            }
        });
    }

    /** Starts listening; returns once the port is bound. */
    public WheelwrightServer start() {
        app.start();
        log.info("listening on http://{}:{}/", host, port());
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** Stops accepting requests and lets running ones finish. */
    @Override
    public void close() {
        app.stop();
    }
}

package dev.wheelwright.http;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place that maps failures to HTTP statuses. Bodies are one plain-text sentence, never a stack trace; under
 * {@code /api/} the sentence is the {@code detail} of an RFC 9457 {@code application/problem+json} body, written by
 * the server's JSON mapper.
 */
final class HttpErrors {
    private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {}

    static void addTo(RoutesConfig routes) {
        routes.exception(WheelwrightException.class, HttpErrors::expected);
        routes.exception(Exception.class, HttpErrors::unexpected);
    }

    static HttpStatus statusOf(Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case NOT_ACCEPTABLE -> HttpStatus.NOT_ACCEPTABLE;
            case CONFLICT -> HttpStatus.CONFLICT;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
            case UPSTREAM -> HttpStatus.BAD_GATEWAY;
            case FAILED -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    private static void expected(WheelwrightException e, Context ctx) {
        HttpStatus status = statusOf(e.kind());
        if (status.getCode() >= 500) {
            log.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
        } else {
            log.debug("{} {} -> {}: {}", ctx.method(), ctx.path(), status.getCode(), e.getMessage());
        }
        if (e.kind() == Kind.UNAUTHENTICATED) {
            ctx.header("WWW-Authenticate", "Basic realm=\"wheelwright\"");
        }
        respond(ctx, status, e.getMessage());
    }

    private static void unexpected(Exception e, Context ctx) {
        log.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
        respond(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error; the server log has the details.");
    }

    static void respond(Context ctx, HttpStatus status, String message) {
        String line = message == null ? status.getMessage() : message.replaceAll("[\\r\\n]+", " ");
        if (ctx.path().startsWith("/api/")) { // RFC 9457 problem details, same status
            Problem problem = new Problem("about:blank", status.getMessage(), status.getCode(), line);
            ctx.status(status)
                    .contentType("application/problem+json")
                    .result(ctx.jsonMapper().toJsonString(problem, Problem.class));
            return;
        }
        ctx.status(status).contentType("text/plain; charset=utf-8").result(line + "\n");
    }

    /** RFC 9457 §3.1 members, in the order they were always written. */
    record Problem(String type, String title, int status, String detail) {}
}

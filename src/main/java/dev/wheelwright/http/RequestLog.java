package dev.wheelwright.http;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The end of every request, whichever path served it: its meter ({@code http.server.requests}) and its access log
 * line on the {@code dev.wheelwright.access} logger, {@code METHOD PATH STATUS 1.2ms PRINCIPAL}, carrying the
 * request's id.
 */
final class RequestLog {
    private static final Logger access = LoggerFactory.getLogger("dev.wheelwright.access");

    private final HttpMetrics metrics;

    RequestLog(HttpMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics);
    }

    /**
     * One finished request.
     *
     * @param uri the route template that served it, or {@link HttpMetrics#UNMATCHED}
     * @param principal the requester's name, {@code -} when none was established
     */
    void finished(String requestId, String method, String path, String uri, int status, float ms, String principal) {
        metrics.request(method, uri, status, Duration.ofNanos((long) (ms * 1_000_000)));
        MDC.put(RequestIds.MDC_KEY, requestId);
        try {
            access.info("{} {} {} {}ms {}", method, path, status, tenths(ms), principal);
        } finally {
            MDC.remove(RequestIds.MDC_KEY); // the last line of the request: the thread serves others next
        }
    }

    /** Milliseconds with one decimal, as {@code String.format("%.1f")} gives them, without its parsing and locale. */
    static String tenths(float ms) {
        long tenths = Math.round(ms * 10.0);
        return (tenths / 10) + "." + (tenths % 10);
    }
}

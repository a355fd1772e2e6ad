package dev.wheelwright.http;

import dev.wheelwright.errors.WheelwrightException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The meters of the HTTP edge: {@code http_server_requests_seconds{method,uri,status}} (a histogram; {@code uri} is the
 * route template such as {@code /simple/{project}/}, never the requested path, so the series stay few),
 * {@code wheelwright_uploads_total{outcome}}, {@code wheelwright_upload_bytes_total},
 * {@code wheelwright_upload_rejections_total{reason}} and the Jetty thread pool ({@code jetty_threads_*}).
 */
final class HttpMetrics {
    /** The {@code uri} of a request no route matched (a 404, or one refused before routing). */
    static final String UNMATCHED = "UNMATCHED";

    private final MeterRegistry registry;
    private final Counter uploadedBytes;
    private final Map<Series, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> hotCounters = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
        this.uploadedBytes = Counter.builder("wheelwright.upload.bytes")
                .baseUnit("bytes")
                .description("Bytes of uploaded files stored (identical re-uploads not counted).")
                .register(registry);
    }

    /** A request answered by a {@link HotPath}: {@code pages} or {@code files}. */
    void hot(String kind) {
        Counter counter = hotCounters.get(kind);
        if (counter == null) {
            counter = hotCounters.computeIfAbsent(
                    kind,
                    k -> Counter.builder("wheelwright.http.hot.requests")
                            .description("Requests answered by a hot path before the router, by path (pages, files); "
                                    + "they are in http_server_requests too.")
                            .tag("path", k)
                            .register(registry));
        }
        counter.increment();
    }

    /** One finished request of this method, route template ({@code uri}) and status. */
    void request(String method, String uri, int status, Duration took) {
        Series series = new Series(method, uri, status);
        Timer timer = requestTimers.get(series);
        if (timer == null) { // registering looks the meter up by its sorted tags: once per series, not per request
            timer = requestTimers.computeIfAbsent(series, this::register);
        }
        timer.record(took);
    }

    /** One series of {@code http.server.requests}: few (methods × route templates × statuses). */
    private record Series(String method, String uri, int status) {}

    private Timer register(Series series) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests by route template and status.")
                .tag("method", series.method())
                .tag("uri", series.uri())
                .tag("status", Integer.toString(series.status()))
                .publishPercentileHistogram()
                .register(registry);
    }

    /** An upload that was stored ({@code stored}) or that repeated a stored file byte for byte. */
    void uploaded(boolean stored, long bytes) {
        Counter.builder("wheelwright.uploads")
                .description("Uploads accepted: stored, or identical to a stored file.")
                .tag("outcome", stored ? "stored" : "existing")
                .register(registry)
                .increment();
        if (stored) {
            uploadedBytes.increment(bytes);
        }
    }

    /** An upload refused; the reason is the kind of failure, e.g. {@code duplicate_file} or {@code upload_too_large}. */
    void uploadRejected(WheelwrightException e) {
        Counter.builder("wheelwright.upload.rejections")
                .description("Uploads refused, by reason.")
                .tag("reason", reason(e))
                .register(registry)
                .increment();
    }

    /** {@code DuplicateFileException} → {@code duplicate_file}: a bounded set of labels (one per exception type). */
    static String reason(WheelwrightException e) {
        String name = e.getClass().getSimpleName().replaceFirst("Exception$", "");
        String snake = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return snake.isEmpty() ? e.kind().name().toLowerCase(Locale.ROOT) : snake;
    }

    /** Gauges of Jetty's request thread pool. */
    void threadPool(ThreadPool pool) {
        gauge("jetty.threads.current", pool, ThreadPool::getThreads, "Threads of Jetty's pool.");
        gauge("jetty.threads.idle", pool, ThreadPool::getIdleThreads, "Idle threads of Jetty's pool.");
        if (pool instanceof QueuedThreadPool queued) {
            gauge(
                    "jetty.threads.busy",
                    queued,
                    QueuedThreadPool::getBusyThreads,
                    "Threads of Jetty's pool running a job.");
            gauge(
                    "jetty.threads.config.max",
                    queued,
                    QueuedThreadPool::getMaxThreads,
                    "The most threads Jetty's pool may have.");
            gauge(
                    "jetty.threads.jobs",
                    queued,
                    QueuedThreadPool::getQueueSize,
                    "Jobs waiting for a thread of Jetty's pool.");
        }
    }

    private <T> void gauge(String name, T source, ToDoubleFunction<T> value, String description) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }
}

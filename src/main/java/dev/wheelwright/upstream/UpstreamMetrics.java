package dev.wheelwright.upstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of the upstream proxy, registered in a Micrometer {@link MeterRegistry}. Their Prometheus names are the
 * ones this proxy always exposed: {@code wheelwright_upstream_cache_hits_total{kind}},
 * {@code wheelwright_upstream_cache_misses_total{kind}}, {@code wheelwright_upstream_requests_total{upstream,kind}},
 * {@code wheelwright_upstream_errors_total{upstream,kind}} and the latency timer
 * {@code wheelwright_upstream_request_seconds{upstream,kind}} (its {@code _sum} is the former sum series; {@code _count}
 * and {@code _bucket} are new). It also remembers, per upstream, since when its requests fail ({@link #failing},
 * for {@code /readyz}). Thread-safe.
 */
public final class UpstreamMetrics {
    private final MeterRegistry registry;
    private final Clock clock;
    /** Upstreams whose last request failed, and when the first of the failures in a row happened. */
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    /** Meters in {@code registry} (the server's, exposed at {@code /metrics}); failures timed by {@code clock}. */
    public UpstreamMetrics(MeterRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Meters in a registry of their own, exposed nowhere (tools and tests that do not scrape). */
    public UpstreamMetrics() {
        this(new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /** The upstreams whose last request failed, by name, with the time the failures began. */
    public Map<String, Instant> failing() {
        return new TreeMap<>(failingSince);
    }

    /** A cache hit or miss of a listing or a file. */
    void cache(String kind, boolean hit) {
        Counter.builder(hit ? "wheelwright.upstream.cache.hits" : "wheelwright.upstream.cache.misses")
                .description(
                        hit
                                ? "Upstream listings and files served from the cache."
                                : "Upstream listings and files that had to be fetched.")
                .tag("kind", kind)
                .register(registry)
                .increment();
    }

    /** One request to an upstream: how long it took and whether it failed. */
    void request(String upstream, String kind, long nanos, boolean failed) {
        Counter.builder("wheelwright.upstream.requests")
                .description("Requests made to upstream indexes.")
                .tag("upstream", upstream)
                .tag("kind", kind)
                .register(registry)
                .increment();
        Timer.builder("wheelwright.upstream.request")
                .description("Time spent waiting for upstream answers.")
                .tag("upstream", upstream)
                .tag("kind", kind)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
        if (failed) {
            failingSince.putIfAbsent(upstream, clock.instant());
        } else {
            failingSince.remove(upstream);
        }
        if (failed) {
            Counter.builder("wheelwright.upstream.errors")
                    .description("Upstream requests that failed (unreachable, timeout, bad answer).")
                    .tag("upstream", upstream)
                    .tag("kind", kind)
                    .register(registry)
                    .increment();
        }
    }
}

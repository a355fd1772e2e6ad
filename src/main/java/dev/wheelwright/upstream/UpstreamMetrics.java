package dev.wheelwright.upstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the upstream proxy, rendered in the Prometheus text exposition format (version 0.0.4). Thread-safe.
 */
public final class UpstreamMetrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    /** Adds one to a counter; {@code labels} is a rendered label set such as {@code kind="file"}. */
    void count(String metric, String labels) {
        counters.computeIfAbsent(metric + "{" + labels + "}", k -> new LongAdder())
                .increment();
    }

    void add(String metric, String labels, long amount) {
        counters.computeIfAbsent(metric + "{" + labels + "}", k -> new LongAdder())
                .add(amount);
    }

    /** A cache hit or miss of a listing or a file. */
    void cache(String kind, boolean hit) {
        count(
                hit ? "wheelwright_upstream_cache_hits_total" : "wheelwright_upstream_cache_misses_total",
                "kind=\"" + kind + "\"");
    }

    /** One request to an upstream: how long it took and whether it failed. */
    void request(String upstream, String kind, long nanos, boolean failed) {
        String labels = "upstream=\"" + upstream + "\",kind=\"" + kind + "\"";
        count("wheelwright_upstream_requests_total", labels);
        add("wheelwright_upstream_request_seconds_sum_micros", labels, nanos / 1000);
        if (failed) {
            count("wheelwright_upstream_errors_total", labels);
        }
    }

    /** The current value of a counter with labels, 0 when never counted. */
    public long value(String metric, String labels) {
        LongAdder a = counters.get(metric + "{" + labels + "}");
        return a == null ? 0 : a.sum();
    }

    /** Every counter as Prometheus text, with HELP and TYPE lines; latency sums in seconds. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        help(sb, "wheelwright_upstream_cache_hits_total", "Upstream listings and files served from the cache.");
        help(sb, "wheelwright_upstream_cache_misses_total", "Upstream listings and files that had to be fetched.");
        help(sb, "wheelwright_upstream_requests_total", "Requests made to upstream indexes.");
        help(
                sb,
                "wheelwright_upstream_errors_total",
                "Upstream requests that failed (unreachable, timeout, bad answer).");
        help(sb, "wheelwright_upstream_request_seconds_sum", "Total time spent waiting for upstream answers.");
        new java.util.TreeMap<>(counters).forEach((key, value) -> {
            if (key.startsWith("wheelwright_upstream_request_seconds_sum_micros")) {
                String labels = key.substring(key.indexOf('{'));
                sb.append("wheelwright_upstream_request_seconds_sum")
                        .append(labels)
                        .append(' ')
                        .append(String.format(java.util.Locale.ROOT, "%.6f", value.sum() / 1e6))
                        .append('\n');
            } else {
                sb.append(key).append(' ').append(value.sum()).append('\n');
            }
        });
        return sb.toString();
    }

    private static void help(StringBuilder sb, String name, String text) {
        sb.append("# HELP ").append(name).append(' ').append(text).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
    }
}

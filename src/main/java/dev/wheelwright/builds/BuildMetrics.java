package dev.wheelwright.builds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The meters of the build service: {@code wheelwright_builds_queued} and {@code wheelwright_builds_running} (gauges),
 * {@code wheelwright_builds_enqueued_total}, {@code wheelwright_build_duration_seconds{outcome}} (a histogram) and
 * {@code wheelwright_build_failures_total{reason}}, the reason being the {@link Stage} the build failed in. Thread-safe.
 */
final class BuildMetrics {
    /** Where a build failed: a bounded set, so it can be a label (the full reason is in the record and the log). */
    enum Stage {
        /** The build directory or log could not be made. */
        PREPARE,
        /** The tagged tree could not be exported from the git mirror. */
        EXPORT,
        /** The PEP 517 backend failed, timed out or wrote too much. */
        BUILD,
        /** The artifacts do not match the tag (name, version, metadata, a stored file with other bytes). */
        CHECK,
        /** The artifacts could not be stored. */
        STORE,
        /** A bug: an unexpected exception in the build service. */
        INTERNAL;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final AtomicInteger running = new AtomicInteger();
    private final Counter enqueued;

    BuildMetrics(MeterRegistry registry, Supplier<Number> queued) {
        this.registry = registry;
        Gauge.builder("wheelwright.builds.queued", queued)
                .description("Builds waiting for a worker.")
                .strongReference(true)
                .register(registry);
        Gauge.builder("wheelwright.builds.running", running, AtomicInteger::get)
                .description("Builds running now.")
                .strongReference(true)
                .register(registry);
        this.enqueued = Counter.builder("wheelwright.builds.enqueued")
                .description("Builds queued (new, retried or re-queued after a restart).")
                .register(registry);
    }

    void enqueued() {
        enqueued.increment();
    }

    void started() {
        running.incrementAndGet();
    }

    /** A build ended; {@code failedIn} is empty when it succeeded. */
    void finished(Duration took, java.util.Optional<Stage> failedIn) {
        running.decrementAndGet();
        Timer.builder("wheelwright.build.duration")
                .description("How long builds took, from start to recorded outcome.")
                .tag("outcome", failedIn.isPresent() ? "failed" : "succeeded")
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
        failedIn.ifPresent(stage -> Counter.builder("wheelwright.build.failures")
                .description("Failed builds by the stage they failed in.")
                .tag("reason", stage.label())
                .register(registry)
                .increment());
    }

    /** A build that ended without an outcome (interrupted by shutdown; the next start redoes it). */
    void abandoned() {
        running.decrementAndGet();
    }
}

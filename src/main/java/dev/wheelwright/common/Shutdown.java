package dev.wheelwright.common;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Stopping the executors of background work. */
public final class Shutdown {
    private Shutdown() {}

    /**
     * Interrupts what {@code executor} runs and waits up to {@code wait} for it to end; false when a task still runs
     * after that. A calling thread interrupted while it waits stops waiting at once, keeps its interrupt status and gets
     * true: it is being stopped itself, and there is nothing left to report.
     */
    public static boolean stopWithin(ExecutorService executor, Duration wait) {
        executor.shutdownNow();
        try {
            return executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}

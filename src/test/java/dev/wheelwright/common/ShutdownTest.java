package dev.wheelwright.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShutdownTest {
    @Test
    void interrupts_a_running_task_and_reports_it_stopped() throws InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch running = new CountDownLatch(1);
        executor.execute(() -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // stopped, as asked
            }
        });
        running.await();

        boolean stopped = Shutdown.stopWithin(executor, Duration.ofSeconds(10));

        assertThat(stopped).isTrue();
        assertThat(executor.isTerminated()).isTrue();
    }

    @Test
    void reports_a_task_that_ignores_its_interrupt_past_the_wait() throws InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            running.countDown();
            while (true) {
                try {
                    release.await();
                    return;
                } catch (InterruptedException e) {
                    // ignored on purpose: a task that does not stop when asked
                }
            }
        });
        running.await();

        boolean stopped = Shutdown.stopWithin(executor, Duration.ofMillis(100));

        assertThat(stopped).isFalse();
        release.countDown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_waiter_interrupted_itself_stops_waiting_and_keeps_its_interrupt() throws InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            while (true) {
                try {
                    release.await();
                    return;
                } catch (InterruptedException e) {
                    // ignored on purpose
                }
            }
        });

        Thread.currentThread().interrupt();
        boolean stopped = Shutdown.stopWithin(executor, Duration.ofSeconds(30));

        assertThat(stopped).isTrue();
        assertThat(Thread.interrupted()).isTrue(); // clears it again for the next test
        release.countDown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}

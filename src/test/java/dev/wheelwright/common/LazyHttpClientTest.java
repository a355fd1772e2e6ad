package dev.wheelwright.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyHttpClientTest {
    @Test
    void builds_nothing_until_the_first_get_then_the_same_client_every_time() {
        AtomicInteger builds = new AtomicInteger();
        LazyHttpClient lazy = new LazyHttpClient(() -> {
            builds.incrementAndGet();
            return HttpClient.newHttpClient();
        });

        assertThat(builds).hasValue(0);
        assertThat(lazy.built()).isFalse();

        HttpClient first = lazy.get();

        assertThat(lazy.get()).isSameAs(first);
        assertThat(lazy.built()).isTrue();
        assertThat(builds).hasValue(1);
    }

    @Test
    void threads_asking_at_once_get_one_client_built_once() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        LazyHttpClient lazy = new LazyHttpClient(() -> {
            builds.incrementAndGet();
            return HttpClient.newHttpClient();
        });
        CountDownLatch go = new CountDownLatch(1);
        List<HttpClient> got = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    got.add(lazy.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }

        assertThat(got).hasSize(8).allSatisfy(c -> assertThat(c).isSameAs(got.get(0)));
        assertThat(builds).hasValue(1);
    }
}

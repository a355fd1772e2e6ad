package dev.wheelwright.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wheelwright.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded blob store's sweep of partial files left by interrupted writes: it begins a while after the start, on
 * its own thread, and closing the wiring ends a sweep still waiting.
 */
class BlobSweepTest {
    @TempDir
    Path dir;

    @Test
    void the_sweep_begins_after_its_delay_and_removes_a_stale_partial_file() throws Exception {
        Path partial = stalePartial();

        try (Wiring wiring = wiring(Duration.ofMillis(500))) {
            wiring.openStorage();
            assertThat(partial).as("not swept before the delay").exists();

            await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(partial));
        }
    }

    @Test
    void closing_the_wiring_ends_a_sweep_still_waiting() throws Exception {
        Path partial = stalePartial();
        Thread sweep;
        try (Wiring wiring = wiring(Duration.ofHours(1))) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            wiring.openStorage();
            sweep = sweepThreads().stream()
                    .filter(t -> !before.contains(t))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no sweep thread"));
            assertThat(sweep.isAlive()).isTrue();
        }

        sweep.join(Duration.ofSeconds(20).toMillis());
        assertThat(sweep.isAlive()).as("the sweep thread ended").isFalse();
        assertThat(partial).as("left for the next start").exists();
    }

    private Wiring wiring(Duration sweepDelay) throws Exception {
        String yaml = "storage: {data-dir: \"" + dir.resolve("data") + "\"}\nupstreams: []\n";
        return new Wiring(new ConfigLoader(Map.of()).load(yaml), Map.of(), sweepDelay);
    }

    /** A partial file as a write cut short two hours ago leaves it, where the store keeps blobs. */
    private Path stalePartial() throws Exception {
        Path partial = dir.resolve("data/blobs/sha256/ab/.partial-cut-short");
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "half a wheel");
        Files.setLastModifiedTime(partial, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        return partial;
    }

    private static List<Thread> sweepThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("wheelwright-blob-sweep"))
                .toList();
    }
}

package dev.wheelwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteJDBCLoader;

/** The warm-up does its work on its own thread and ends; it starts nothing that outlives it. */
class StartWarmupTest {
    @Test
    void loads_sqlite_and_the_web_server_classes_then_its_thread_ends() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        StartWarmup warmup = StartWarmup.begin();
        warmup.afterConfig(true);

        assertThat(warmup.awaitDone(60)).as("the queued work ends").isTrue();
        assertThat(SQLiteJDBCLoader.isNativeMode()).isTrue();
        Set<Thread> left = new HashSet<>(Thread.getAllStackTraces().keySet());
        left.removeAll(before);
        // the JDK's own, for the processes sqlite-jdbc runs while it looks at the OS (it idles out by itself)
        left.removeIf(t -> !t.isAlive() || t.getName().equals("process reaper"));
        assertThat(left)
                .as("no thread of the warm-up, or of a web server it built, is left")
                .isEmpty();
    }
}

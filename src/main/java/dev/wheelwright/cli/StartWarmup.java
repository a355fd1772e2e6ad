package dev.wheelwright.cli;

import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Work a start of {@code serve} will need later, done ahead on a second core while the main thread reads the config and
 * opens the storage: loading and initializing the web server's classes (Jetty's MIME table enumerates every locale of
 * the JDK), and SQLite's native library. Nothing here is kept: the start does the same work again, finding it done (a
 * class is initialized once per JVM, the native library loaded once). A failure here changes nothing but the time,
 * since the start meets the same failure itself and reports it; so it is logged at DEBUG only.
 *
 * <p>Measured on the 2-core machine with 100,000 files: start to {@code /readyz} 0.1-0.2 s sooner (docs/benchmarks.md).
 * Tried and left out: the metrics registry and the JVM's management beans, needed too soon after the config to gain.
 */
final class StartWarmup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StartWarmup.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "wheelwright-warmup");
        t.setDaemon(true);
        return t;
    });

    private StartWarmup() {}

    /** Starts warming the web server up at once: the main thread needs it last, after the config and the storage. */
    static StartWarmup begin() {
        StartWarmup warmup = new StartWarmup();
        warmup.run("web server", StartWarmup::webServer);
        return warmup;
    }

    /** Once the config is read: SQLite's native library, for a start on the embedded database. */
    void afterConfig(boolean sqlite) {
        if (sqlite) {
            run("SQLite", () -> {
                try {
                    SQLiteJDBCLoader.initialize();
                } catch (Exception e) { // its signature: the driver meets and reports the same failure when it connects
                    log.debug("warm-up of SQLite failed: {}", e.toString());
                }
            });
        }
    }

    private void run(String what, Runnable work) {
        thread.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.debug("warm-up of the {} failed: {}", what, e.toString());
            }
        });
    }

    /**
     * Objects of the Jetty classes Javalin's start builds, never started (no thread, no socket), then dropped. Not a
     * Javalin: an instance never started keeps a thread that waits to warn about it.
     */
    private static void webServer() {
        Locale.getAvailableLocales();
        Server server = new Server();
        server.addConnector(new ServerConnector(server));
        server.setHandler(new ServletContextHandler());
    }

    /** Waits for what was queued (tests); the start itself never waits. */
    boolean awaitDone(long seconds) throws InterruptedException {
        thread.shutdown();
        return thread.awaitTermination(seconds, TimeUnit.SECONDS);
    }

    /** Lets the thread end once the queued work is done. */
    @Override
    public void close() {
        thread.shutdown();
    }
}

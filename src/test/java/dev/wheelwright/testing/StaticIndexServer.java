package dev.wheelwright.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real static HTTP server on loopback over a directory tree, like nginx over a PEP 503 mirror: HTML only (it
 * ignores {@code Accept}), {@code index.html} for directories, 404 for anything else. It counts requests per path,
 * can hold file downloads until released (to make concurrent first requests overlap), and stops on close.
 */
public final class StaticIndexServer implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    public StaticIndexServer(Path root) throws IOException {
        this(root, 0);
    }

    /**
     * Serves {@code root} on loopback {@code port} (0: a free one); a port in use throws {@link java.net.BindException}.
     * Any directory tree works, e.g. a local Maven repository served as a remote one.
     */
    public StaticIndexServer(Path root, int port) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The root of the served tree, {@code http://127.0.0.1:PORT/}. */
    public String rootUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** The index URL, {@code http://127.0.0.1:PORT/simple/}. */
    public String indexUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
    }

    /** How many requests reached this path. */
    public int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    /** Holds every response under /files/ until {@link #release()} (at most 60 s, so nothing hangs). */
    public void holdFiles() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Path file = root.resolve(URI.create(path).getPath().substring(1)).normalize();
            if (!file.startsWith(root)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (Files.isDirectory(file)) {
                file = file.resolve("index.html");
            }
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (path.startsWith("/files/")) {
                try {
                    hold.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            boolean html = file.getFileName().toString().endsWith(".html");
            exchange.getResponseHeaders()
                    .set("Content-Type", html ? "text/html; charset=utf-8" : "application/octet-stream");
            long size = Files.size(file);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : size == 0 ? -1 : size);
            if (!head) {
                try (InputStream in = Files.newInputStream(file);
                        OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            }
        }
    }

    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.wheelwright.common;

import java.net.http.HttpClient;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A JDK HTTP client built on its first use rather than when its owner is. Building one sets up TLS (the default
 * {@code SSLContext}: providers, trust store), which took about a seventh of the main thread's CPU in a start to
 * {@code /readyz}; a server whose webhooks or upstreams are not called yet need not pay for that before it serves.
 * Thread-safe; the client is built once.
 */
public final class LazyHttpClient {
    private final Supplier<HttpClient> build;
    private volatile HttpClient client;

    /** @param build makes the client, once, on the first {@link #get} */
    public LazyHttpClient(Supplier<HttpClient> build) {
        this.build = Objects.requireNonNull(build);
    }

    /** The client, built now if this is the first call. */
    public HttpClient get() {
        HttpClient built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = Objects.requireNonNull(build.get(), "the client builder returned null");
                    client = built;
                }
            }
        }
        return built;
    }

    /** Whether the client has been built: false until the first {@link #get}. */
    public boolean built() {
        return client != null;
    }
}

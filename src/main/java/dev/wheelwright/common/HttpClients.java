package dev.wheelwright.common;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/** The JDK HTTP clients of Wheelwright's outgoing calls: a bounded connect time and a stated redirect policy. */
public final class HttpClients {
    private HttpClients() {}

    /**
     * A client whose connections give up after {@code connectTimeout} and that follows redirects as {@code redirects}
     * says (answers are bounded per request, by the caller).
     */
    public static HttpClient create(Duration connectTimeout, HttpClient.Redirect redirects) {
        return HttpClient.newBuilder()
                .connectTimeout(Objects.requireNonNull(connectTimeout))
                .followRedirects(Objects.requireNonNull(redirects))
                .build();
    }
}

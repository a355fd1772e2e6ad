package dev.wheelwright.upstream.http;

import dev.wheelwright.common.LazyHttpClient;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.upstream.PageParser;
import dev.wheelwright.upstream.UpstreamIndex;
import dev.wheelwright.upstream.UpstreamUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * An http(s) upstream index through the JDK {@link HttpClient}: project pages at {@code <url>/<normalized>/}, asked
 * for in JSON with HTML accepted (PEP 691), conditionally with {@code If-None-Match}/{@code If-Modified-Since}.
 * Bounded in time: the connect timeout, the read timeout until the response headers, and the read timeout between
 * any two chunks of a body. Thread-safe.
 */
public final class HttpUpstreamIndex implements UpstreamIndex {
    /** Largest project page accepted (PyPI's biggest JSON pages are a few MB). */
    private static final int MAX_PAGE_BYTES = 64 * 1024 * 1024;

    private static final ScheduledExecutorService WATCHDOG = watchdog();

    private final String name;
    private final URI base;
    private final Duration readTimeout;
    private final LazyHttpClient client;
    private final PageParser pages;

    public HttpUpstreamIndex(String name, URI url, Duration connectTimeout, Duration readTimeout, PageParser pages) {
        this.name = Objects.requireNonNull(name);
        this.pages = Objects.requireNonNull(pages);
        String u = url.toString();
        this.base = URI.create(u.endsWith("/") ? u : u + "/");
        this.readTimeout = Objects.requireNonNull(readTimeout);
        Objects.requireNonNull(connectTimeout);
        this.client = new LazyHttpClient(() -> HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "upstream-read-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(executor);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PageFetch page(ProjectName project, Optional<String> etag, Optional<String> lastModified) {
        URI url = base.resolve(project.normalized() + "/");
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(readTimeout)
                .header("Accept", PageParser.ACCEPT)
                .header("User-Agent", "wheelwright");
        etag.ifPresent(e -> request.header("If-None-Match", e));
        lastModified.ifPresent(m -> request.header("If-Modified-Since", m));
        HttpResponse<InputStream> response = send(request.GET().build(), "the page of " + project.normalized());
        try (InputStream body = new StallGuardedStream(response.body(), WATCHDOG, readTimeout)) {
            int status = response.statusCode();
            if (status == 304) {
                return new NotModified();
            }
            if (status == 404 || status == 410) {
                return new NotFound();
            }
            if (status != 200) {
                throw new UpstreamUnavailableException(
                        "Upstream " + name + " answered HTTP " + status + " for project " + project.normalized() + ".");
            }
            String type = response.headers().firstValue("Content-Type").orElse("text/html");
            if (!PageParser.isPage(type)) {
                throw new UpstreamUnavailableException("Upstream " + name + " answered for project "
                        + project.normalized() + " with Content-Type " + type + ", not a simple page.");
            }
            byte[] bytes = body.readNBytes(MAX_PAGE_BYTES + 1);
            if (bytes.length > MAX_PAGE_BYTES) {
                throw new UpstreamUnavailableException(
                        "Upstream " + name + " sent a page over 64 MB for project " + project.normalized() + ".");
            }
            return new Found(pages.parse(
                    bytes,
                    type,
                    response.uri(),
                    response.headers().firstValue("ETag"),
                    response.headers().firstValue("Last-Modified")));
        } catch (IOException e) {
            throw new UpstreamUnavailableException(
                    "Upstream " + name + " broke off the page of project " + project.normalized() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Download open(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(readTimeout)
                .header("Accept-Encoding", "identity")
                .header("User-Agent", "wheelwright")
                .GET()
                .build();
        HttpResponse<InputStream> response = send(request, url.toString());
        if (response.statusCode() != 200) {
            try {
                response.body().close();
            } catch (IOException e) {
                // closing only releases the connection
            }
            throw new UpstreamUnavailableException(
                    "Upstream " + name + " answered HTTP " + response.statusCode() + " for " + url + ".");
        }
        Optional<Long> length = response.headers().firstValueAsLong("Content-Length").stream()
                .boxed()
                .findFirst();
        return new Download(new StallGuardedStream(response.body(), WATCHDOG, readTimeout), length);
    }

    private HttpResponse<InputStream> send(HttpRequest request, String what) {
        try {
            return client.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new UpstreamUnavailableException(
                    "Upstream " + name + " did not answer for " + what + " in time: " + e.getMessage(), e);
        } catch (IOException e) {
            String reason = e instanceof java.net.ConnectException
                    ? "connection refused"
                    : Objects.requireNonNullElse(e.getMessage(), "the connection failed");
            throw new UpstreamUnavailableException(
                    "Cannot reach upstream " + name + " for " + what + ": " + reason + ".", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException(
                    "Interrupted while asking upstream " + name + " for " + what + ".", e);
        }
    }
}

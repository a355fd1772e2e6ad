package dev.wheelwright.notifications.http;

import dev.wheelwright.common.HttpClients;
import dev.wheelwright.common.LazyHttpClient;
import dev.wheelwright.notifications.DeliveryFailedException;
import dev.wheelwright.notifications.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** The {@link WebhookSender} over the JDK HTTP client: no redirects followed, bounded connect and answer times. */
public final class HttpWebhookSender implements WebhookSender {
    private final LazyHttpClient client;
    private final Duration timeout;

    /** @param timeout how long connecting, and then waiting for the answer, may each take */
    public HttpWebhookSender(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        this.client = new LazyHttpClient(() -> HttpClients.create(timeout, HttpClient.Redirect.NEVER));
    }

    @Override
    public void send(URI url, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(url).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<Void> response;
        try {
            response = client.get().send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailedException(where(url) + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new DeliveryFailedException(
                    where(url) + " cannot be reached: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailedException("interrupted while sending to " + where(url), e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryFailedException(where(url) + " answered " + response.statusCode());
        }
    }

    /** The receiver without path or query: a Slack-style webhook URL carries its secret in the path. */
    static String where(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}

package dev.wheelwright.notifications;

import java.net.URI;
import java.util.Map;

/**
 * Sends one notification: a POST of {@code body} with {@code headers} to {@code url}. Thread-safe. Returns when a
 * receiver accepted it (a 2xx answer); anything else (refused, timed out, a non-2xx status) is a
 * {@link DeliveryFailedException} saying what happened, without the URL's path or query (they may hold a secret).
 */
public interface WebhookSender {
    void send(URI url, byte[] body, Map<String, String> headers);
}

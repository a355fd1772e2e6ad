package dev.wheelwright.source.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.common.HttpClients;
import dev.wheelwright.source.SourceUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API of one git host, as discovery reads it: GETs with the host's authentication header, JSON lists, raw
 * files, and the {@code Link: rel="next"} pagination GitLab and Gitea share with GitHub. The token is sent, never
 * logged or put into a message. Thread-safe.
 */
final class HostApi {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");

    private final String title;
    private final String base;
    private final Map<String, String> authentication;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    /**
     * @param title the host as messages name it (e.g. {@code GitLab API})
     * @param apiUrl the API's base URL, e.g. {@code https://gitlab.example.com/api/v4}
     * @param token the token, sent (when present and not empty) as header {@code header} with value
     *     {@code scheme + token}
     */
    HostApi(
            String title,
            String apiUrl,
            Optional<String> token,
            String header,
            String scheme,
            Duration timeout,
            ObjectMapper json) {
        this.title = title;
        this.base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.authentication = token.filter(t -> !t.isEmpty())
                .map(t -> Map.of(header, scheme + t))
                .orElse(Map.of());
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClients.create(timeout, HttpClient.Redirect.NORMAL);
    }

    /** The base URL (no token in it), for messages. */
    String base() {
        return base;
    }

    /** One page of a JSON list at {@code url}, and the URL of the next page when the host gives one. */
    record Page(JsonNode items, Optional<String> next) {}

    /** Reads one page of a list; a non-200 answer or a body that is not a JSON list is a {@link SourceUnavailableException}. */
    Page list(String url, String what) {
        HttpResponse<String> response = get(url);
        if (response.statusCode() != 200) {
            throw new SourceUnavailableException(
                    title + " answered " + response.statusCode() + " listing " + what + " at " + base);
        }
        JsonNode items;
        try {
            items = json.readTree(response.body());
        } catch (IOException e) {
            throw new SourceUnavailableException(title + " sent invalid JSON listing " + what, e);
        }
        if (items == null || !items.isArray()) {
            throw new SourceUnavailableException(title + " did not send a list of " + what);
        }
        return new Page(items, response.headers().firstValue("Link").flatMap(HostApi::next));
    }

    /** A raw file's text; empty when the host has no such file (404) or answers otherwise (logged by the caller). */
    Optional<String> raw(String url) {
        HttpResponse<String> response = get(url);
        return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    }

    /** {@code path} below the base URL. */
    String url(String path) {
        return base + path;
    }

    /** A path segment or query value, percent-encoded. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> get(String url) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET();
        authentication.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SourceUnavailableException(
                    "cannot reach the " + title + " at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceUnavailableException("interrupted while calling the " + title + " at " + base, e);
        }
    }

    private static Optional<String> next(String link) {
        Matcher m = NEXT.matcher(link);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}

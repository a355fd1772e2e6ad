package dev.wheelwright.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Response headers that make browsers treat our answers as exactly what they say they are. Every response gets
 * {@code X-Content-Type-Options: nosniff} (so an error body that quotes hostile input is never sniffed into HTML)
 * and {@code Referrer-Policy: no-referrer}; HTML additionally gets a Content-Security-Policy that allows no
 * script, no plugin, no framing, and only the inline style our pages carry. Applied in an {@code after} handler,
 * so routes added later get them without doing anything.
 */
final class SecurityHeaders {
    /** Nothing may load but inline style: our pages have no script, image, font or external stylesheet. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** A route may set its own policy (the web UI loads its stylesheet and script) in this request attribute. */
    static final String CSP_ATTRIBUTE = "wheelwright.csp";

    private SecurityHeaders() {}

    /** The headers every response carries. */
    static Map<String, String> forPlainText() {
        Map<String, String> headers = new LinkedHashMap<>();
        add("text/plain", null, headers::put);
        return headers;
    }

    /** Whether a content type names HTML, in any case; no allocation (this runs for every response). */
    private static boolean isHtml(String type) {
        for (int i = 0; i + 4 <= type.length(); i++) {
            if (type.regionMatches(true, i, "html", 0, 4)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the headers for this response's content type; HTML (and a response of no declared type) gets the CSP. */
    static void apply(Context ctx) {
        add(ctx.res().getContentType(), ctx.attribute(CSP_ATTRIBUTE), ctx::header);
    }

    /**
     * Gives {@code header} the headers of a response of this content type (null: none declared), with the route's own
     * policy if it set one (else null).
     */
    static void add(String contentType, String ownPolicy, BiConsumer<String, String> header) {
        header.accept("X-Content-Type-Options", "nosniff");
        header.accept("Referrer-Policy", "no-referrer");
        if (contentType == null || isHtml(contentType)) {
            header.accept("Content-Security-Policy", ownPolicy == null ? CONTENT_SECURITY_POLICY : ownPolicy);
            header.accept("X-Frame-Options", "DENY");
        }
    }
}

package dev.wheelwright.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        return headers;
    }

    /** Adds the headers for this response's content type; HTML (and a response of no declared type) gets the CSP. */
    static void apply(Context ctx) {
        forPlainText().forEach(ctx::header);
        String type = ctx.res().getContentType();
        if (type == null || type.toLowerCase(Locale.ROOT).contains("html")) {
            String own = ctx.attribute(CSP_ATTRIBUTE);
            ctx.header("Content-Security-Policy", own == null ? CONTENT_SECURITY_POLICY : own);
            ctx.header("X-Frame-Options", "DENY");
        }
    }
}

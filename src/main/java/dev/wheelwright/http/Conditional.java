package dev.wheelwright.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** HTTP conditional-request helpers (RFC 9110 §13). */
final class Conditional {
    private Conditional() {}

    /** Whether an {@code If-None-Match} / {@code If-Range} entity-tag list matches {@code etag} (weak comparison). */
    static boolean matches(String header, String etag) {
        String bare = strip(etag);
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || strip(c).equals(bare)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers {@code 304 Not Modified} when the request's {@code If-None-Match} matches {@code etag}; the caller then
     * sends nothing more.
     *
     * @return whether the 304 was set
     */
    static boolean notModified(Context ctx, String etag) {
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return true;
        }
        return false;
    }

    private static String strip(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}

package dev.wheelwright.http;

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

    private static String strip(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}

package dev.wheelwright.http;

import java.util.Locale;

/** The {@code Accept-Encoding} request header (RFC 9110 §12.5.3), as far as pages offer gzip. */
final class ContentCodings {
    private ContentCodings() {}

    /**
     * Whether gzip is acceptable: named ({@code gzip} or {@code x-gzip}) with a weight above 0, or covered by
     * {@code *} with a weight above 0 and not refused by name. No header, or an unreadable weight: not acceptable.
     */
    static boolean acceptsGzip(String header) {
        return header != null && GZIP.get(header);
    }

    /** The answer per header value: clients send the same one on every request. */
    private static final HeaderMemo<Boolean> GZIP = new HeaderMemo<>(ContentCodings::parseAcceptsGzip);

    private static boolean parseAcceptsGzip(String header) {
        Boolean named = null;
        boolean star = false;
        for (String member : header.split(",")) {
            String[] parts = member.split(";");
            String coding = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean wanted = weight(parts) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = named == null ? wanted : named || wanted;
            } else if (coding.equals("*")) {
                star = wanted;
            }
        }
        return named != null ? named : star;
    }

    /** The member's {@code q} weight: 1 when absent, 0 when it cannot be read. */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(p.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}

package dev.wheelwright.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The one HTML escaping renderer: every value that goes into a page passes through {@link #text} or
 * {@link #attr}. Package metadata is untrusted input.
 */
final class Html {
    private Html() {}

    /** Escapes a value for element content or a double-quoted attribute. */
    static String text(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        sb.append("&#xfffd;");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Same escaping as {@link #text}; named for readability at attribute sites. */
    static String attr(String value) {
        return text(value);
    }

    /**
     * A link target from untrusted metadata (e.g. a {@code Project-URL} or {@code Home-page}), escaped for a
     * double-quoted {@code href}, or empty when it is not an absolute {@code http}/{@code https} URL. Everything
     * else — {@code javascript:}, {@code data:}, {@code vbscript:}, relative and protocol-relative URLs, anything with
     * whitespace or control characters a browser would strip before reading the scheme — is refused, so a caller
     * renders the text without a link. Every link rendered from package metadata goes through here.
     */
    static Optional<String> href(String url) {
        String trimmed = url.strip();
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return Optional.empty();
            }
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https"))
                || uri.getRawAuthority() == null
                || uri.getHost() == null) {
            return Optional.empty();
        }
        return Optional.of(attr(trimmed));
    }
}

package dev.wheelwright.http;

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
}

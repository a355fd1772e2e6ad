package dev.wheelwright.http;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PEP 691 content negotiation for simple pages: the {@code format} query parameter wins when it names a known
 * type; otherwise the {@code Accept} header's q-values pick among the offers in server order {@code text/html,
 * v1+html, v1+json} (ties to the earlier offer); no header means {@code text/html}; a header that admits none of
 * them is 406.
 */
enum MediaTypes {
    TEXT_HTML("text/html"),
    V1_HTML("application/vnd.pypi.simple.v1+html"),
    V1_JSON("application/vnd.pypi.simple.v1+json");

    private final String type;

    MediaTypes(String type) {
        this.type = type;
    }

    String type() {
        return type;
    }

    boolean isJson() {
        return this == V1_JSON;
    }

    static MediaTypes negotiate(Optional<String> format, Optional<String> accept) {
        if (format.isPresent()) {
            // an unencoded '+' in a query string arrives as a space; media types never contain spaces
            Optional<MediaTypes> chosen =
                    exact(format.get().trim().replace(' ', '+').toLowerCase(Locale.ROOT));
            if (chosen.isPresent()) {
                return chosen.get();
            }
        }
        if (accept.isEmpty() || accept.get().isBlank()) {
            return TEXT_HTML;
        }
        return BY_ACCEPT.get(accept.get());
    }

    /** The offer an {@code Accept} header picks, per header value: pip sends the same one on every request. */
    private static final HeaderMemo<MediaTypes> BY_ACCEPT = new HeaderMemo<>(MediaTypes::negotiateAccept);

    private static MediaTypes negotiateAccept(String accept) {
        List<Range> ranges = parse(accept);
        MediaTypes best = null;
        double bestQ = 0;
        for (MediaTypes offer : values()) {
            double q = qualityOf(offer, ranges);
            if (q > bestQ) {
                best = offer;
                bestQ = q;
            }
        }
        if (best == null) {
            throw new WheelwrightException(
                    Kind.NOT_ACCEPTABLE,
                    "None of the requested media types is available; use text/html, " + V1_HTML.type + " or "
                            + V1_JSON.type + ".");
        }
        return best;
    }

    private static Optional<MediaTypes> exact(String type) {
        return switch (type) {
            case "text/html" -> Optional.of(TEXT_HTML);
            case "application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.latest+html" ->
                Optional.of(V1_HTML);
            case "application/vnd.pypi.simple.v1+json", "application/vnd.pypi.simple.latest+json" ->
                Optional.of(V1_JSON);
            default -> Optional.empty();
        };
    }

    private record Range(String type, String subtype, double q) {
        int specificity() {
            return type.equals("*") ? 0 : subtype.equals("*") ? 1 : 2;
        }
    }

    private static List<Range> parse(String header) {
        List<Range> ranges = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pieces = part.split(";");
            String media = pieces[0].trim().toLowerCase(Locale.ROOT);
            media = media.replace("vnd.pypi.simple.latest+", "vnd.pypi.simple.v1+");
            int slash = media.indexOf('/');
            if (slash <= 0 || slash == media.length() - 1) {
                continue;
            }
            double q = 1.0;
            for (int i = 1; i < pieces.length; i++) {
                String param = pieces[i].trim();
                if (param.toLowerCase(Locale.ROOT).startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                    if (!(q >= 0 && q <= 1)) {
                        q = 0;
                    }
                }
            }
            ranges.add(new Range(media.substring(0, slash), media.substring(slash + 1), q));
        }
        return ranges;
    }

    private static double qualityOf(MediaTypes offer, List<Range> ranges) {
        String[] typeAndSub = offer.type.split("/", 2);
        Range best = null;
        for (Range r : ranges) {
            boolean matches = r.type.equals("*")
                    || (r.type.equals(typeAndSub[0]) && (r.subtype.equals("*") || r.subtype.equals(typeAndSub[1])));
            if (matches && (best == null || r.specificity() > best.specificity())) {
                best = r;
            }
        }
        return best == null ? 0 : best.q;
    }
}

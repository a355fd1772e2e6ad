package dev.wheelwright.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses upstream project pages: PEP 503 HTML (every {@code <a>} with its attributes, the first {@code <base href>},
 * entities decoded as pip's {@code HTMLParser(convert_charrefs=True)} does) and PEP 691/700/714 JSON. Relative URLs
 * resolve against the page URL (or the base). Files without a sha256 hash are left out: they could not be verified.
 * Stateless and thread-safe.
 */
public final class PageParser {
    /** PEP 691 media type of JSON pages. */
    public static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    /** What we ask an upstream for: JSON preferred, HTML accepted (PEP 691 §5.2). */
    public static final String ACCEPT =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private PageParser() {}

    /** Whether a response Content-Type is a simple page we can read (JSON or HTML). */
    public static boolean isPage(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith(JSON_TYPE) || t.startsWith("application/vnd.pypi.simple.v1+html") || t.startsWith("text/html");
    }

    /**
     * Parses a page body by its Content-Type.
     *
     * @throws UpstreamUnavailableException when the JSON is malformed
     */
    public static UpstreamPage parse(
            byte[] body, String contentType, URI pageUrl, Optional<String> etag, Optional<String> lastModified) {
        if (contentType.toLowerCase(Locale.ROOT).startsWith(JSON_TYPE)) {
            return json(body, pageUrl, etag, lastModified);
        }
        return html(new String(body, charset(contentType)), pageUrl, etag, lastModified);
    }

    private static java.nio.charset.Charset charset(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                try {
                    return java.nio.charset.Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    // --- HTML

    static UpstreamPage html(String page, URI pageUrl, Optional<String> etag, Optional<String> lastModified) {
        List<Map<String, String>> anchors = new ArrayList<>();
        URI base = pageUrl;
        boolean baseSeen = false;
        int i = 0;
        int n = page.length();
        while (i < n) {
            int lt = page.indexOf('<', i);
            if (lt < 0) {
                break;
            }
            if (page.startsWith("<!--", lt)) {
                int end = page.indexOf("-->", lt + 4);
                i = end < 0 ? n : end + 3;
                continue;
            }
            int j = lt + 1;
            int nameStart = j;
            while (j < n && (Character.isLetterOrDigit(page.charAt(j)))) {
                j++;
            }
            String tag = page.substring(nameStart, j).toLowerCase(Locale.ROOT);
            if (tag.isEmpty()) {
                i = lt + 1;
                continue;
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            j = attributes(page, j, attrs);
            i = j;
            if (tag.equals("a")) {
                int close = indexOfIgnoreCase(page, "</a", i);
                String text = close < 0 ? "" : page.substring(i, close);
                attrs.put("#text", decode(text.replaceAll("<[^>]*>", "")).strip());
                anchors.add(attrs);
                if (close >= 0) {
                    i = close;
                }
            } else if (tag.equals("base") && !baseSeen && attrs.containsKey("href")) {
                baseSeen = true;
                base = resolve(pageUrl, attrs.get("href")).orElse(pageUrl);
            }
        }
        List<UpstreamFile> files = new ArrayList<>();
        for (Map<String, String> a : anchors) {
            String href = a.get("href");
            if (href == null) {
                continue;
            }
            Optional<URI> resolved = resolve(base, href);
            if (resolved.isEmpty()) {
                continue;
            }
            URI url = resolved.get();
            Optional<String> sha = fragmentSha256(url.getRawFragment());
            String filename = lastSegment(url);
            if (sha.isEmpty() || filename.isEmpty()) {
                continue;
            }
            Optional<String> metadata = metadataAttr(a.get("data-core-metadata"))
                    .or(() -> metadataAttr(a.get("data-dist-info-metadata")));
            files.add(new UpstreamFile(
                    filename,
                    withoutFragment(url),
                    sha.get(),
                    Optional.ofNullable(a.get("data-requires-python")).filter(s -> !s.isBlank()),
                    Optional.ofNullable(a.get("data-yanked")),
                    metadata,
                    Optional.empty(),
                    Optional.empty()));
        }
        return new UpstreamPage(files, List.of(), etag, lastModified);
    }

    /** Reads attributes up to the end of the tag; returns the index after {@code >}. */
    private static int attributes(String s, int i, Map<String, String> attrs) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '>') {
                return i + 1;
            }
            if (Character.isWhitespace(c) || c == '/') {
                i++;
                continue;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '=' && s.charAt(i) != '>'
                    && s.charAt(i) != '/') {
                i++;
            }
            String name = s.substring(start, i).toLowerCase(Locale.ROOT);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String value = "";
            if (i < n && s.charAt(i) == '=') {
                i++;
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i < n && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
                    char quote = s.charAt(i);
                    int end = s.indexOf(quote, i + 1);
                    end = end < 0 ? n : end;
                    value = s.substring(i + 1, end);
                    i = Math.min(n, end + 1);
                } else {
                    int vs = i;
                    while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '>') {
                        i++;
                    }
                    value = s.substring(vs, i);
                }
            }
            if (!name.isEmpty()) {
                attrs.putIfAbsent(name, decode(value));
            }
        }
        return n;
    }

    private static int indexOfIgnoreCase(String s, String what, int from) {
        int n = s.length() - what.length();
        for (int i = from; i <= n; i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }

    /** HTML character references: named (the common ones), decimal and hex. */
    static String decode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                sb.append(c);
                i++;
                continue;
            }
            int semi = s.indexOf(';', i);
            if (semi < 0 || semi - i > 10) {
                sb.append(c);
                i++;
                continue;
            }
            String ref = s.substring(i + 1, semi);
            String decoded = switch (ref) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> "\u00a0";
                default -> numeric(ref);
            };
            if (decoded == null) {
                sb.append(c);
                i++;
            } else {
                sb.append(decoded);
                i = semi + 1;
            }
        }
        return sb.toString();
    }

    private static String numeric(String ref) {
        try {
            if (ref.startsWith("#x") || ref.startsWith("#X")) {
                return new String(Character.toChars(Integer.parseInt(ref.substring(2), 16)));
            }
            if (ref.startsWith("#")) {
                return new String(Character.toChars(Integer.parseInt(ref.substring(1))));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static Optional<String> metadataAttr(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.equalsIgnoreCase("false")) {
            return Optional.empty();
        }
        int eq = v.indexOf('=');
        if (eq > 0 && v.substring(0, eq).equalsIgnoreCase("sha256")) {
            String hex = v.substring(eq + 1).toLowerCase(Locale.ROOT);
            return Optional.of(SHA256.matcher(hex).matches() ? hex : "");
        }
        return Optional.of(""); // "true" or another hash: the file exists, we have no sha256 of it
    }

    private static Optional<String> fragmentSha256(String fragment) {
        if (fragment == null) {
            return Optional.empty();
        }
        for (String part : fragment.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).equalsIgnoreCase("sha256")) {
                String hex = part.substring(eq + 1).toLowerCase(Locale.ROOT);
                if (SHA256.matcher(hex).matches()) {
                    return Optional.of(hex);
                }
            }
        }
        return Optional.empty();
    }

    // --- JSON

    static UpstreamPage json(byte[] body, URI pageUrl, Optional<String> etag, Optional<String> lastModified) {
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (IOException e) {
            throw new UpstreamUnavailableException("The upstream page " + pageUrl + " is not valid JSON.", e);
        }
        if (doc == null || !doc.isObject() || !doc.path("files").isArray()) {
            throw new UpstreamUnavailableException("The upstream page " + pageUrl + " has no files array.");
        }
        List<UpstreamFile> files = new ArrayList<>();
        for (JsonNode f : doc.path("files")) {
            String sha = f.path("hashes").path("sha256").asText("").toLowerCase(Locale.ROOT);
            Optional<URI> url = resolve(pageUrl, f.path("url").asText(""));
            String filename = f.path("filename").asText("");
            if (!SHA256.matcher(sha).matches() || url.isEmpty() || filename.isEmpty()) {
                continue;
            }
            JsonNode yanked = f.path("yanked");
            Optional<String> yankedReason = yanked.isTextual() && !yanked.asText().isEmpty()
                    ? Optional.of(yanked.asText())
                    : yanked.asBoolean(false) ? Optional.of("") : Optional.empty();
            JsonNode meta = f.has("core-metadata") ? f.get("core-metadata")
                    : f.has("dist-info-metadata") ? f.get("dist-info-metadata") : f.path("data-dist-info-metadata");
            Optional<String> metadata;
            if (meta.isObject()) {
                String hex = meta.path("sha256").asText("").toLowerCase(Locale.ROOT);
                metadata = Optional.of(SHA256.matcher(hex).matches() ? hex : "");
            } else {
                metadata = meta.asBoolean(false) ? Optional.of("") : Optional.empty();
            }
            JsonNode size = f.path("size");
            files.add(new UpstreamFile(
                    filename,
                    withoutFragment(url.get()),
                    sha,
                    f.path("requires-python").isTextual() && !f.path("requires-python").asText().isBlank()
                            ? Optional.of(f.path("requires-python").asText())
                            : Optional.empty(),
                    yankedReason,
                    metadata,
                    size.canConvertToLong() && size.asLong() >= 0 ? Optional.of(size.asLong()) : Optional.empty(),
                    instant(f.path("upload-time").asText(""))));
        }
        List<String> versions = new ArrayList<>();
        for (JsonNode v : doc.path("versions")) {
            if (v.isTextual()) {
                versions.add(v.asText());
            }
        }
        return new UpstreamPage(files, versions, etag, lastModified);
    }

    private static Optional<Instant> instant(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    // --- URLs

    private static Optional<URI> resolve(URI base, String href) {
        String h = href.trim();
        if (h.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(base.resolve(new URI(h)));
        } catch (URISyntaxException | IllegalArgumentException e) {
            try {
                // tolerate characters real pages leave unescaped (spaces, non-ASCII)
                return Optional.of(base.resolve(new URI(h.replace(" ", "%20"))));
            } catch (URISyntaxException | IllegalArgumentException e2) {
                return Optional.empty();
            }
        }
    }

    private static URI withoutFragment(URI url) {
        String text = url.toString();
        int hash = text.indexOf('#');
        return hash < 0 ? url : URI.create(text.substring(0, hash));
    }

    private static String lastSegment(URI url) {
        String path = url.getRawPath();
        if (path == null) {
            return "";
        }
        String segment = path.substring(path.lastIndexOf('/') + 1);
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * Parses upstream project pages: PEP 503 HTML (read by jsoup as a browser reads it: every {@code <a>} with its
 * attributes, the first {@code <base href>}, all HTML5 character references decoded, anchors in comments, scripts
 * and other raw text ignored) and PEP 691/700/714 JSON. Relative URLs resolve against the page URL (or the base).
 * Files without a sha256 hash are left out: they could not be verified. Stateless and thread-safe.
 */
public final class PageParser {
    /** PEP 691 media type of JSON pages. */
    public static final String JSON_TYPE = "application/vnd.pypi.simple.v1+json";
    /** What we ask an upstream for: JSON preferred, HTML accepted (PEP 691 §5.2). */
    public static final String ACCEPT =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final ObjectMapper json;

    /** A parser reading JSON pages with {@code json} (the shared mapper). */
    public PageParser(ObjectMapper json) {
        this.json = Objects.requireNonNull(json);
    }

    /** Whether a response Content-Type is a simple page we can read (JSON or HTML). */
    public static boolean isPage(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith(JSON_TYPE)
                || t.startsWith("application/vnd.pypi.simple.v1+html")
                || t.startsWith("text/html");
    }

    /**
     * Parses a page body by its Content-Type.
     *
     * @throws UpstreamUnavailableException when the JSON is malformed
     */
    public UpstreamPage parse(
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
                    return java.nio.charset.Charset.forName(
                            p.substring(8).replace("\"", "").trim());
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    // --- HTML

    UpstreamPage html(String page, URI pageUrl, Optional<String> etag, Optional<String> lastModified) {
        Document doc = Jsoup.parse(page, "", Parser.htmlParser().setTrackPosition(true));
        URI base = Optional.ofNullable(doc.selectFirst("base[href]"))
                .flatMap(b -> resolve(pageUrl, b.attr("href")))
                .orElse(pageUrl);
        List<UpstreamFile> files = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Element a : doc.getElementsByTag("a")) {
            // an anchor left open across a block is reopened by the HTML tree builder: one source tag, one file
            if (!a.hasAttr("href") || !seen.add(a.sourceRange().startPos())) {
                continue;
            }
            Optional<URI> resolved = resolve(base, a.attr("href"));
            if (resolved.isEmpty()) {
                continue;
            }
            URI url = resolved.get();
            Optional<String> sha = fragmentSha256(url.getRawFragment());
            String filename = lastSegment(url);
            if (sha.isEmpty() || filename.isEmpty()) {
                continue;
            }
            Optional<String> metadata = metadataAttr(attribute(a, "data-core-metadata"))
                    .or(() -> metadataAttr(attribute(a, "data-dist-info-metadata")));
            files.add(new UpstreamFile(
                    filename,
                    withoutFragment(url),
                    sha.get(),
                    attribute(a, "data-requires-python").filter(s -> !s.isBlank()),
                    attribute(a, "data-yanked"),
                    metadata,
                    Optional.empty(),
                    Optional.empty()));
        }
        return new UpstreamPage(files, List.of(), etag, lastModified);
    }

    /** An attribute's value, entities decoded; an attribute without a value is present and empty. */
    private static Optional<String> attribute(Element element, String name) {
        return element.hasAttr(name) ? Optional.of(element.attr(name)) : Optional.empty();
    }

    private static Optional<String> metadataAttr(Optional<String> value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().trim();
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

    UpstreamPage json(byte[] body, URI pageUrl, Optional<String> etag, Optional<String> lastModified) {
        JsonNode doc;
        try {
            doc = json.readTree(body);
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
            Optional<String> yankedReason =
                    yanked.isTextual() && !yanked.asText().isEmpty()
                            ? Optional.of(yanked.asText())
                            : yanked.asBoolean(false) ? Optional.of("") : Optional.empty();
            JsonNode meta = f.has("core-metadata")
                    ? f.get("core-metadata")
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
                    f.path("requires-python").isTextual()
                                    && !f.path("requires-python").asText().isBlank()
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

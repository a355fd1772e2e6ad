package dev.wheelwright.http;

import dev.wheelwright.index.ProjectPage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * A project's long description as HTML for its page: Markdown ({@code text/markdown}) rendered by commonmark-java with
 * GFM tables, everything else (reStructuredText, plain text, unknown types) left to the template as preformatted
 * text. The description is untrusted: commonmark escapes raw HTML and drops unsafe link schemes, and the result is then
 * cleaned by jsoup with an allow-list (no script, no event attribute, no style, no image, only http/https/mailto
 * links), so what reaches the page is inert whatever commonmark lets through. Rendered once per project revision.
 * Thread-safe.
 */
final class Readmes {
    /**
     * The parser, renderer and allow-list, made when the first README is rendered: a start (and a server that only
     * serves pip) need not load commonmark and jsoup.
     */
    private static final class Markdown {
        static final Safelist SAFELIST = Safelist.relaxed()
                .removeTags("img")
                .removeProtocols("a", "href", "ftp")
                .addAttributes("th", "align")
                .addAttributes("td", "align")
                .addEnforcedAttribute("a", "rel", "nofollow noopener noreferrer");
        static final Parser PARSER =
                Parser.builder().extensions(List.of(TablesExtension.create())).build();
        static final HtmlRenderer RENDERER = HtmlRenderer.builder()
                .extensions(List.of(TablesExtension.create()))
                .escapeHtml(true)
                .sanitizeUrls(true)
                .build();
    }

    private final Map<String, Rendered> cache = new ConcurrentHashMap<>();

    private record Rendered(long revision, String html) {}

    /** Whether this description is rendered as HTML ({@link #html}) rather than shown as preformatted text. */
    static boolean isMarkdown(ProjectPage.Description description) {
        return description.contentType().equals("text/markdown");
    }

    /** The sanitized HTML of a Markdown description of {@code project} at {@code revision}. */
    String html(String project, long revision, ProjectPage.Description description) {
        Objects.requireNonNull(description);
        Rendered cached = cache.get(project);
        if (cached != null && cached.revision() == revision) {
            return cached.html();
        }
        String html = sanitize(Markdown.RENDERER.render(Markdown.PARSER.parse(description.text())));
        cache.put(project, new Rendered(revision, html));
        return html;
    }

    /** {@code html} with everything outside the allow-list removed (jsoup's Cleaner). */
    static String sanitize(String html) {
        Document dirty = Jsoup.parseBodyFragment(html);
        Document clean = new Cleaner(Markdown.SAFELIST).clean(dirty);
        clean.outputSettings().prettyPrint(false);
        // the page has its own h1 (one per page): the README's headings go one level down
        for (Element heading : clean.body().select("h1, h2, h3, h4, h5")) {
            heading.tagName("h" + (heading.tagName().charAt(1) - '0' + 1));
        }
        return clean.body().html();
    }
}

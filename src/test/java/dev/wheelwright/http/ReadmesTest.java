package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.index.ProjectPage;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** The README renderer (#10): Markdown with GFM tables, sanitized by jsoup's allow-list, headings below the page's h1. */
class ReadmesTest {
    private final Readmes readmes = new Readmes();

    private String render(String markdown) {
        return readmes.html("demo", 1, new ProjectPage.Description(markdown, "text/markdown"));
    }

    @Test
    void renders_markdown_with_tables_and_demotes_headings() {
        String html = render("# Title\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n[docs](https://example.org/docs)\n");

        assertThat(html).contains("<h2>Title</h2>").contains("<table>").contains("<td>1</td>");
        assertThat(html).contains("<a href=\"https://example.org/docs\" rel=\"nofollow noopener noreferrer\">docs</a>");
        assertThat(html).doesNotContain("<h1>");
    }

    @Test
    void raw_html_scripts_event_handlers_and_javascript_links_come_out_inert() {
        String html = render("""
                <script>alert(1)</script>

                <div onclick="x()"><img src=x onerror="alert(2)"></div>

                [a](javascript:alert(3)) <a href="javascript:alert(4)">b</a> <iframe src="https://evil"></iframe>

                ![i](https://example.org/i.png) <style>body{}</style>

                | <script>alert(5)</script> |
                | --- |
                | [c](JaVaScRiPt:alert(6)) |
                """);

        Document page = Jsoup.parseBodyFragment(html);
        assertThat(page.select("script, img, iframe, style, svg")).isEmpty();
        assertThat(page.getAllElements())
                .allSatisfy(e -> assertThat(e.attributes().asList())
                        .noneMatch(a -> a.getKey().toLowerCase().startsWith("on")));
        assertThat(page.select("a[href]"))
                .allSatisfy(a -> assertThat(a.attr("href")).startsWith("https:"));
        assertThat(page.select("a"))
                .hasSize(2)
                .allSatisfy(a -> assertThat(a.hasAttr("href")).isFalse()); // text only
        assertThat(html).contains("&lt;script&gt;");
    }

    @Test
    void the_sanitizer_alone_strips_what_an_unsafe_renderer_would_let_through() {
        String html = Readmes.sanitize(
                "<p><a href=\"javascript:alert(1)\" onmouseover=\"x()\">a</a><script>y()</script>"
                        + "<svg onload=\"z()\"></svg><table><tr><td style=\"background:url(x)\">t</td></tr></table></p>");

        assertThat(html)
                .doesNotContain("javascript")
                .doesNotContain("onmouseover")
                .doesNotContain("script")
                .doesNotContain("svg")
                .doesNotContain("style")
                .contains("<td>t</td>");
    }
}

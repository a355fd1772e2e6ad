package dev.wheelwright.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.common.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageParserTest {
    private static final URI PAGE = URI.create("https://mirror.example/simple/demo/");
    private static final String SHA = "7e05ad0b6c26108d9990e2235e8a9b4e2c03ead6f391ceb60347f8ebea6b80ba";
    private static final String META = "d0aa787c2b55e5b0b3aff66f137cf33341c5e781cb87b4dc184cbb25c7ac0ab5";
    private static final PageParser PARSER = new PageParser(Json.newMapper());

    private static UpstreamPage html(String body) {
        return PARSER.parse(
                body.getBytes(StandardCharsets.UTF_8),
                "text/html; charset=utf-8",
                PAGE,
                Optional.of("\"e\""),
                Optional.empty());
    }

    @Test
    void reads_an_anchor_as_pypi_renders_it_with_every_attribute() {
        // PyPI's own output (simple-api.md §3.2), with a yank added
        UpstreamPage page = html("<!DOCTYPE html><html><body>\n"
                + "<a href=\"https://files.example/packages/14/7e/demo-1.0-py3-none-any.whl#sha256=" + SHA
                + "\" data-requires-python=\"&gt;=3.6.0\" data-yanked=\"broken &amp; bad\" data-dist-info-metadata=\"sha256="
                + META + "\" data-core-metadata=\"sha256=" + META + "\">demo-1.0-py3-none-any.whl</a><br />\n"
                + "</body></html>\n<!--SERIAL 22406780-->");

        assertThat(page.files())
                .containsExactly(new UpstreamFile(
                        "demo-1.0-py3-none-any.whl",
                        URI.create("https://files.example/packages/14/7e/demo-1.0-py3-none-any.whl"),
                        SHA,
                        Optional.of(">=3.6.0"),
                        Optional.of("broken & bad"),
                        Optional.of(META),
                        Optional.empty(),
                        Optional.empty()));
        assertThat(page.etag()).contains("\"e\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # href as written                                  | resolved against https://mirror.example/simple/demo/
            ../../files/demo-1.0.tar.gz#sha256=%s              | https://mirror.example/files/demo-1.0.tar.gz
            /packages/demo-1.0.tar.gz#sha256=%s                | https://mirror.example/packages/demo-1.0.tar.gz
            demo-1.0.tar.gz#sha256=%s                          | https://mirror.example/simple/demo/demo-1.0.tar.gz
            https://cdn.example/x/demo-1.0.tar.gz#sha256=%s    | https://cdn.example/x/demo-1.0.tar.gz
            ../../files/demo-1.0.tar.gz#egg=x&amp;sha256=%s    | https://mirror.example/files/demo-1.0.tar.gz
            """)
    void resolves_relative_links_against_the_page_url(String href, String resolved) {
        UpstreamPage page = html("<a href=\"" + href.formatted(SHA) + "\">demo-1.0.tar.gz</a>");

        assertThat(page.files()).extracting(UpstreamFile::url).containsExactly(URI.create(resolved));
    }

    @Test
    void honours_the_first_base_href() {
        UpstreamPage page =
                html("<html><head><base href=\"https://other.example/pool/\"><base href=\"/ignored/\"></head>"
                        + "<body><a href='demo-1.0.tar.gz#sha256=" + SHA + "'>demo-1.0.tar.gz</a></body></html>");

        assertThat(page.files())
                .extracting(UpstreamFile::url)
                .containsExactly(URI.create("https://other.example/pool/demo-1.0.tar.gz"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # attributes                          | yanked  | core metadata
            data-yanked                           | ''      | -
            data-yanked=''                        | ''      | -
            data-core-metadata=true               | -       | ''
            data-core-metadata="sha256=%s"        | -       | %s
            data-dist-info-metadata="sha256=%s"   | -       | %s
            data-core-metadata="md5=abc"          | -       | ''
            DATA-CORE-METADATA="SHA256=%s"        | -       | %s
            """)
    void reads_yank_and_metadata_attributes(String attrs, String yanked, String metadata) {
        UpstreamPage page = html("<a href=\"demo-1.0-py3-none-any.whl#sha256=" + SHA + "\" "
                + attrs.formatted(META.toUpperCase()) + ">x</a>");

        UpstreamFile f = page.files().get(0);
        assertThat(f.yanked()).isEqualTo(yanked.equals("-") ? Optional.empty() : Optional.of(yanked));
        assertThat(f.coreMetadata())
                .isEqualTo(
                        metadata.equals("-") ? Optional.empty() : Optional.of(metadata.equals("%s") ? META : metadata));
    }

    @Test
    void leaves_out_links_without_a_sha256() {
        UpstreamPage page = html("<a href=\"demo-1.0.tar.gz\">demo-1.0.tar.gz</a>"
                + "<a href=\"demo-1.1.tar.gz#md5=0123\">demo-1.1.tar.gz</a><a name=\"top\">no href</a>");

        assertThat(page.files()).isEmpty();
    }

    @Test
    void decodes_every_html5_character_reference_as_pip_does() {
        // html.unescape, which pip's parser applies, knows all HTML5 names, and "&amp" without its semicolon
        UpstreamPage page =
                html("<a href=\"demo-1.0.tar.gz#sha256=" + SHA + "\" data-requires-python=\"&GreaterEqual;3.8\""
                        + " data-yanked=\"caf&eacute; &hellip; &#x2192; &#8212; &amp\">demo</a>");

        UpstreamFile f = page.files().get(0);
        assertThat(f.requiresPython()).contains("\u22653.8");
        assertThat(f.yanked()).contains("caf\u00e9 \u2026 \u2192 \u2014 &");
    }

    @Test
    void reads_unquoted_attributes() {
        UpstreamPage page = html("<A HREF=demo-1.0-py3-none-any.whl#sha256=" + SHA + " data-requires-python=&gt;=3.8"
                + " data-core-metadata=sha256=" + META + " data-yanked>demo</A>");

        assertThat(page.files())
                .containsExactly(new UpstreamFile(
                        "demo-1.0-py3-none-any.whl",
                        URI.create("https://mirror.example/simple/demo/demo-1.0-py3-none-any.whl"),
                        SHA,
                        Optional.of(">=3.8"),
                        Optional.of(""),
                        Optional.of(META),
                        Optional.empty(),
                        Optional.empty()));
    }

    @Test
    void ignores_anchors_in_comments_scripts_and_other_raw_text() {
        UpstreamPage page = html("<html><head><title><a href=\"title-1.0.tar.gz#sha256=" + SHA + "\">t</a></title>"
                + "<script>document.write('<a href=\"script-1.0.tar.gz#sha256=" + SHA
                + "\">s</a>')</script></head><body>"
                + "<!-- <a href=\"comment-1.0.tar.gz#sha256=" + SHA + "\">c</a> -->"
                + "<textarea><a href=\"textarea-1.0.tar.gz#sha256=" + SHA + "\">x</a></textarea>"
                + "<a href=\"demo-1.0.tar.gz#sha256=" + SHA + "\">demo-1.0.tar.gz</a></body></html>");

        assertThat(page.files()).extracting(UpstreamFile::filename).containsExactly("demo-1.0.tar.gz");
    }

    @Test
    void reads_each_anchor_once_however_it_is_nested() {
        UpstreamPage page = html("<a href=\"demo-1.0.tar.gz#sha256=" + SHA + "\">no end tag"
                + "<a href=\"demo-1.1.tar.gz#sha256=" + SHA + "\">demo-1.1</a>"
                + "<p><a href=\"demo-1.2.tar.gz#sha256=" + SHA
                + "\">left open</p><p>next paragraph</p><div>and a block</div>"
                + "<table><tr><a href=\"demo-1.3.tar.gz#sha256=" + SHA
                + "\">in a table row</a><td>cell</td></tr></table>"
                + "<b><a href=\"demo-1.4.tar.gz#sha256=" + SHA + "\">misnested</b> tail</a>");

        assertThat(page.files())
                .extracting(UpstreamFile::filename)
                .containsExactly(
                        "demo-1.0.tar.gz", "demo-1.1.tar.gz", "demo-1.2.tar.gz", "demo-1.3.tar.gz", "demo-1.4.tar.gz");
    }

    @Test
    void reads_a_pep_691_json_page_with_pep_700_fields() {
        String json = """
                {"meta": {"api-version": "1.4"}, "name": "demo", "versions": ["1.0", "2.0"],
                 "files": [
                   {"filename": "demo-1.0.tar.gz", "url": "../../files/demo-1.0.tar.gz", "hashes": {"sha256": "%s"},
                    "requires-python": ">=3.9", "size": 123, "upload-time": "2026-01-02T03:04:05.123456Z",
                    "yanked": "Had a vulnerability", "core-metadata": false},
                   {"filename": "demo-1.0-py3-none-any.whl", "url": "https://cdn.example/demo-1.0-py3-none-any.whl",
                    "hashes": {"sha256": "%s"}, "yanked": true, "data-dist-info-metadata": {"sha256": "%s"}},
                   {"filename": "demo-0.1.tar.gz", "url": "x", "hashes": {}}
                 ]}
                """.formatted(SHA, SHA, META);

        UpstreamPage page = PARSER.parse(
                json.getBytes(StandardCharsets.UTF_8),
                PageParser.JSON_TYPE,
                PAGE,
                Optional.empty(),
                Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"));

        assertThat(page.versions()).containsExactly("1.0", "2.0");
        assertThat(page.files())
                .containsExactly(
                        new UpstreamFile(
                                "demo-1.0.tar.gz",
                                URI.create("https://mirror.example/files/demo-1.0.tar.gz"),
                                SHA,
                                Optional.of(">=3.9"),
                                Optional.of("Had a vulnerability"),
                                Optional.empty(),
                                Optional.of(123L),
                                Optional.of(Instant.parse("2026-01-02T03:04:05.123456Z"))),
                        new UpstreamFile(
                                "demo-1.0-py3-none-any.whl",
                                URI.create("https://cdn.example/demo-1.0-py3-none-any.whl"),
                                SHA,
                                Optional.empty(),
                                Optional.of(""),
                                Optional.of(META),
                                Optional.empty(),
                                Optional.empty()));
    }

    @Test
    void a_broken_json_page_is_an_upstream_failure() {
        assertThatThrownBy(() -> PARSER.parse(
                        "{\"files\": 3}".getBytes(StandardCharsets.UTF_8),
                        PageParser.JSON_TYPE,
                        PAGE,
                        Optional.empty(),
                        Optional.empty()))
                .isInstanceOf(UpstreamUnavailableException.class)
                .hasMessageContaining(PAGE.toString());
    }
}

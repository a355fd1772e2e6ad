package dev.wheelwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.PackageType;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * #5: a wheel whose Summary, Description, Requires-Python and Project-URL carry script payloads is listed (since #14
 * the last two only as a file stored before the upload rules refused them), and
 * every HTML page that shows it stays inert: only our own tags, no event-handler attribute, no script link, with a
 * CSP that forbids scripts anyway.
 */
class HostileMetadataIT {
    private static final String SUMMARY = "<script>alert('summary')</script><img src=x onerror=alert(1)>";
    private static final String REQUIRES_PYTHON = ">=3.8\" onmouseover=\"alert(1)\" x=\"<script>alert(2)</script>";
    private static final List<String> PAYLOAD_FRAGMENTS =
            List.of("<script", "<img", "\" onmouseover=\"", "onerror=alert(1)>", "href=\"javascript:", "<svg");
    /** Every tag our pages may contain. */
    private static final Set<String> OUR_TAGS = Set.of(
            "!doctype",
            "html",
            "head",
            "meta",
            "title",
            "style",
            "body",
            "h1",
            "h2",
            "p",
            "code",
            "a",
            "ul",
            "li",
            "br",
            // the web UI's pages (#10)
            "link",
            "script",
            "noscript",
            "header",
            "nav",
            "main",
            "section",
            "div",
            "span",
            "form",
            "label",
            "input",
            "button",
            "h3",
            "dl",
            "dt",
            "dd",
            "pre",
            "time",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td");
    /** The one script element the web UI's pages carry: its own file, never anything inline. */
    private static final String OUR_SCRIPT = "<script src=\"/static/wheelwright.js\" defer></script>";

    private static final Pattern TAG = Pattern.compile("<(/?)([!A-Za-z][^\\s>/]*)([^>]*)>");
    /** One attribute as a browser tokenizes it: a name, then an optional quoted or bare value. */
    private static final Pattern ATTRIBUTE =
            Pattern.compile("\\s*([^\\s\"'=/>]+)(?:\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+))?\\s*");

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("data"));
        // #14: what the upload rules still accept goes through /legacy/ ...
        String headers = "Summary: " + SUMMARY + "\n"
                + "Home-page: javascript:alert('home')\n"
                + "Author: \"><svg onload=alert(1)>\n";
        String metadata = "Metadata-Version: 2.1\nName: xss-demo\nVersion: 1.0\n" + headers
                + "\n<script>alert('description')</script>\n<a href=\"javascript:alert(3)\" onclick=\"alert(4)\">x</a>\n";
        Path wheel = Wheels.wheel(
                Files.createDirectories(dir.resolve("dist")),
                "xss_demo-1.0-py3-none-any.whl",
                "xss_demo-1.0.dist-info",
                "xss_demo",
                "1.0",
                metadata);

        HttpResponse<String> upload = server.upload(server.token("ci", Scope.UPLOAD), TestServer.twineForm(wheel));

        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        // ... and what they refuse now (a script in Requires-Python, javascript: Project-URLs, text/html) may still
        // be stored from before them, so pages must stay inert for it too: recorded as an older release had.
        String older = metadata.replace("Version: 1.0", "Version: 0.9")
                .replace(
                        "Author:",
                        "Requires-Python: " + REQUIRES_PYTHON + "\n"
                                + "Project-URL: Homepage, javascript:alert('project-url')\n"
                                + "Project-URL: Docs, JaVaScRiPt:alert(document.cookie)\n"
                                + "Description-Content-Type: text/html\nAuthor:");
        Path before14 = Wheels.wheel(
                Files.createDirectories(dir.resolve("old")),
                "xss_demo-0.9-py3-none-any.whl",
                "xss_demo-0.9.dist-info",
                "xss_demo",
                "0.9",
                older);
        byte[] bytes = Files.readAllBytes(before14);
        String sha = TestServer.digest("SHA-256", bytes);
        BlobKey key = BlobKey.forContent(sha, ".whl");
        server.running().blobs().put(key, before14, Sha256.hex(before14));
        server.running()
                .store()
                .catalog()
                .addFile(
                        new StoredFile(
                                ProjectName.parse("xss-demo"),
                                Version.parse("0.9"),
                                "xss_demo-0.9-py3-none-any.whl",
                                PackageType.BDIST_WHEEL,
                                bytes.length,
                                sha,
                                key,
                                Optional.of(REQUIRES_PYTHON),
                                Optional.empty(),
                                Optional.empty(),
                                Instant.parse("2026-01-01T00:00:00Z"),
                                Optional.empty(),
                                "before-14"),
                        "xss-demo",
                        SUMMARY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/",
                "/project/xss-demo/",
                "/project/xss-demo/1.0/",
                "/simple/",
                "/simple/xss-demo/",
                "/simple/?format=application/vnd.pypi.simple.v1+html",
                "/simple/xss-demo/?format=application/vnd.pypi.simple.v1+html"
            })
    void every_html_page_showing_the_hostile_metadata_stays_inert(String path) throws Exception {
        HttpResponse<byte[]> r = server.get(path);
        String html = new String(r.body(), StandardCharsets.UTF_8).replace(OUR_SCRIPT, "");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("html"));
        assertThat(html).contains("xss"); // the project is there
        for (String fragment : PAYLOAD_FRAGMENTS) {
            if (path.startsWith("/project/") && !fragment.startsWith("<")) {
                // the UI's pages show the hostile values as text (a <pre> description, a Requires-Python cell), where
                // a quote is not markup; every attribute of every tag is checked one by one below
                continue;
            }
            assertThat(html).as("unescaped %s", fragment).doesNotContainIgnoringCase(fragment);
        }
        Matcher tag = TAG.matcher(html);
        while (tag.find()) {
            assertThat(OUR_TAGS).as("tag %s", tag.group()).contains(tag.group(2).toLowerCase());
            String attributes = tag.group(3).replaceFirst("\\s*/\\s*$", ""); // a self-closing slash
            Matcher attribute = ATTRIBUTE.matcher(attributes);
            int end = 0;
            while (attribute.lookingAt()) {
                String name = attribute.group(1).toLowerCase();
                String value = attribute.group(2) == null
                        ? ""
                        : attribute.group(2).replaceAll("[\"'\\s]", "").toLowerCase();
                assertThat(name).as("attribute of %s", tag.group()).doesNotStartWith("on");
                if (name.equals("href") || name.equals("src")) {
                    assertThat(value)
                            .as("link in %s", tag.group())
                            .doesNotStartWith("javascript:")
                            .doesNotStartWith("data:");
                }
                end = attribute.end();
                attribute.region(end, attributes.length());
            }
            assertThat(end)
                    .as("attributes of %s parse as name=value pairs", tag.group())
                    .isEqualTo(attributes.length());
        }
        assertThat(r.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("default-src 'none'")
                        .doesNotContain(path.startsWith("/simple/") ? "script-src" : "'unsafe-inline'"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/simple/"})
    void the_summary_is_shown_escaped_where_pages_show_it(String path) throws Exception {
        String html = new String(server.get(path).body(), StandardCharsets.UTF_8);

        if (path.equals("/")) {
            assertThat(html).contains("&lt;script&gt;alert('summary')&lt;/script&gt;");
        } else {
            assertThat(html).contains("xss-demo");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/simple/xss-demo/"})
    void requires_python_keeps_its_value_inside_one_attribute(String path) throws Exception {
        String html = new String(server.get(path).body(), StandardCharsets.UTF_8);

        assertThat(html)
                .contains("data-requires-python=\"&gt;=3.8&quot; onmouseover=&quot;alert(1)&quot; x=&quot;"
                        + "&lt;script&gt;alert(2)&lt;/script&gt;\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/simple/xss-demo/?format=application/vnd.pypi.simple.v1+json",
                "/files/xss-demo/xss_demo-1.0-py3-none-any.whl.metadata"
            })
    void non_html_answers_carrying_the_payload_are_never_sniffed_as_html(String path) throws Exception {
        HttpResponse<byte[]> r = server.get(path);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).doesNotContain("html"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
}

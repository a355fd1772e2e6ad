package dev.wheelwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.RawHttp;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** #5: every response is nosniff with a Referrer-Policy; every HTML page also carries a CSP with no script. */
class SecurityHeadersIT {
    private static final String WHEEL = "/files/head-demo/head_demo-1.0-py3-none-any.whl";

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("data"));
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("dist")), "head-demo", "1.0", "2.1");
        assertThat(server.upload(server.token("ci", Scope.UPLOAD), TestServer.twineForm(wheel))
                        .statusCode())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # method | path                                                         | status | html
            GET      | /                                                            | 200    | true
            GET      | /simple/                                                     | 200    | true
            GET      | /project/head-demo/                                          | 200    | true
            GET      | /project/head-demo/1.0/                                      | 200    | true
            GET      | /project/Head_Demo/                                          | 301    | false
            GET      | /simple/head-demo/                                           | 200    | true
            GET      | /simple/head-demo/?format=application/vnd.pypi.simple.v1+html | 200   | true
            HEAD     | /simple/head-demo/                                           | 200    | true
            GET      | /simple/head-demo/?format=application/vnd.pypi.simple.v1+json | 200   | false
            GET      | /simple/Head_Demo/                                           | 301    | false
            GET      | /simple/missing/                                             | 404    | false
            GET      | /simple/-bad-/                                               | 400    | false
            GET      | /files/head-demo/head_demo-1.0-py3-none-any.whl               | 200    | false
            GET      | /files/head-demo/head_demo-1.0-py3-none-any.whl.metadata      | 200    | false
            GET      | /no/such/route                                               | 404    | false
            GET      | /healthz                                                     | 200    | false
            GET      | /readyz                                                      | 200    | false
            POST     | /legacy/                                                     | 401    | false
            DELETE   | /simple/                                                     | 404    | false
            """)
    void every_response_carries_the_security_headers(String method, String path, int status, boolean html)
            throws Exception {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build());

        assertThat(r.statusCode()).isEqualTo(status);
        assertCommon(r.headers());
        if (html) {
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).contains("html"));
            assertCsp(r.headers(), path.startsWith("/simple/"));
        }
    }

    @Test
    void an_html_page_answered_304_keeps_its_headers() throws Exception {
        String etag = server.get("/simple/").headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> r = server.get("/simple/", "If-None-Match", etag);

        assertThat(r.statusCode()).isEqualTo(304);
        assertCommon(r.headers());
    }

    @Test
    void a_range_response_is_nosniff() throws Exception {
        HttpResponse<byte[]> r = server.get(WHEEL, "Range", "bytes=0-3");

        assertThat(r.statusCode()).isEqualTo(206);
        assertCommon(r.headers());
    }

    @Test
    void a_request_jetty_rejects_is_answered_in_plain_text_with_nosniff() throws Exception {
        RawHttp.Response r = RawHttp.send(
                server.port(),
                ("GET /simple/ HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1),
                true);

        assertThat(r.status()).isEqualTo(431);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.body()).doesNotContain("<").doesNotContain("org.eclipse");
    }

    private static void assertCommon(HttpHeaders headers) {
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    /** The simple pages allow no script; the web UI (#10) only its own files, nothing inline. */
    private static void assertCsp(HttpHeaders headers, boolean simple) {
        assertThat(headers.firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("default-src 'none'")
                        .contains(simple ? "style-src 'unsafe-inline'" : "style-src 'self'")
                        .contains("frame-ancestors 'none'"));
        if (simple) {
            assertThat(headers.firstValue("Content-Security-Policy").orElseThrow())
                    .doesNotContain("script-src");
        } else {
            assertThat(headers.firstValue("Content-Security-Policy").orElseThrow())
                    .contains("script-src 'self';")
                    .doesNotContain("unsafe-inline");
        }
        assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
    }
}

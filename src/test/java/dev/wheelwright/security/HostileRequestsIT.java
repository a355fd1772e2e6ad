package dev.wheelwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.RawHttp;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * #5: hostile requests, sent as raw bytes. Each row names the statuses it may get (a 4xx, or a documented 2xx/3xx);
 * none may get a 5xx, a stack trace, a class name or a server path, and afterwards the server still answers and
 * has stored nothing.
 */
class HostileRequestsIT {
    private static final String WHEEL = "demo_pkg-1.0-py3-none-any.whl";
    private static final String FILE = "/files/demo-pkg/" + WHEEL;
    private static final Set<Integer> ANY_4XX = Set.of();

    @TempDir
    static Path dir;

    private static TestServer server;
    private static Path data;
    private static String uploadAuth;
    private static byte[] wheelBytes;
    private static List<String> blobsBefore;

    @BeforeAll
    static void start() throws Exception {
        data = dir.resolve("data");
        server = TestServer.start(data, "upload: {max-file-size: 1MB}\n");
        String token = server.token("ci", Scope.UPLOAD);
        uploadAuth = TestServer.basic("__token__", token);
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("dist")), "demo-pkg", "1.0", "2.1");
        wheelBytes = Files.readAllBytes(wheel);
        assertThat(server.upload(token, TestServer.twineForm(wheel)).statusCode())
                .isEqualTo(200);
        blobsBefore = files(data.resolve("blobs"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One hostile request: its bytes, whether to half-close after sending, and the statuses it may get. */
    record Row(String name, byte[] request, boolean halfClose, Set<Integer> allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> rows() {
        String longName = "a".repeat(10_000);
        List<Row> rows = new ArrayList<>(List.of(
                // path traversal, plain, encoded and double-encoded
                get("traversal in a file name, %2f", "/files/x/..%2f..%2fetc%2fpasswd", ANY_4XX),
                get("traversal in a file name, %2F", "/files/demo-pkg/..%2F..%2F..%2Fetc%2Fpasswd", ANY_4XX),
                get("traversal in the project segment", "/files/..%2f..%2fetc/passwd", ANY_4XX),
                get("traversal as a simple project", "/simple/..%2F/", ANY_4XX),
                get("dot-dot as a simple project", "/simple/%2e%2e/", ANY_4XX),
                get("double-encoded traversal in a file", "/files/x/%252e%252e%252fetc%252fpasswd", ANY_4XX),
                get("double-encoded traversal as a project", "/simple/..%252f/", ANY_4XX),
                get("raw dot-dot segments", "/files/../../etc/passwd", ANY_4XX),
                get("backslash traversal", "/files/demo-pkg/..%5c..%5cetc%5cpasswd", ANY_4XX),
                get("encoded slashes in a project", "/simple/%2F%2F/", ANY_4XX),
                // NUL and invalid UTF-8
                get("NUL in a project", "/simple/foo%00bar/", ANY_4XX),
                get("NUL before .metadata", FILE + "%00.metadata", ANY_4XX),
                get("overlong UTF-8 slash", "/simple/%C0%AF/", ANY_4XX),
                get("invalid UTF-8 byte", "/simple/%FF/", ANY_4XX),
                get("overlong UTF-8 dots in a file", "/files/x/%C0%AE%C0%AE%C0%AFetc", ANY_4XX),
                get("raw 0xFF byte in the target", "/simple/\u00ff/", ANY_4XX),
                // over-long names and headers
                get("10k-character project", "/simple/" + longName + "/", ANY_4XX),
                get("10k-character file name", "/files/" + longName + "/" + longName + ".whl", ANY_4XX),
                get("201-character valid-looking project", "/simple/" + "a".repeat(201) + "/", Set.of(400)),
                raw(
                        "100 KB header",
                        "GET /simple/ HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000)
                                + "\r\nConnection: close\r\n\r\n",
                        false,
                        ANY_4XX),
                raw(
                        "2000 headers",
                        "GET /simple/ HTTP/1.1\r\nHost: x\r\n" + "X-H: v\r\n".repeat(2000)
                                + "Connection: close\r\n\r\n",
                        false,
                        ANY_4XX),
                get("huge query string", "/simple/?q=" + "q".repeat(100_000), ANY_4XX),
                get("hostile format parameter", "/simple/?format=%3Cscript%3E", Set.of(200)),
                // ranges and content negotiation
                get("absurd range start", FILE, Set.of(200, 206, 416), "Range: bytes=99999999999999999999-"),
                get("range past the end", FILE, Set.of(416), "Range: bytes=9999999-"),
                get("zero suffix range", FILE, Set.of(416), "Range: bytes=-0"),
                get("inverted range", FILE, Set.of(200), "Range: bytes=5-1"),
                get("three hundred ranges", FILE, Set.of(200), "Range: bytes=" + "0-1,".repeat(300) + "2-3"),
                get("a 10 KB Range header", FILE, Set.of(431), "Range: bytes=" + "0-1,".repeat(2500) + "2-3"),
                get("unknown range unit", FILE, Set.of(200), "Range: lines=1-2"),
                get("negative range", FILE, Set.of(200), "Range: bytes=--5"),
                get("unacceptable Accept", "/simple/", Set.of(406), "Accept: application/xml"),
                get("garbage Accept", "/simple/", Set.of(406), "Accept: ;;;/,,,q=="),
                get("Accept with bad q", "/simple/", Set.of(406), "Accept: text/html;q=abc"),
                get("Accept of 10k types", "/simple/", Set.of(406), "Accept: " + "x/y,".repeat(1500) + "z/z"),
                // methods
                raw(
                        "OPTIONS on the index",
                        "OPTIONS /simple/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        true,
                        ANY_4XX),
                raw(
                        "PUT on the index",
                        "PUT /simple/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        true,
                        ANY_4XX),
                raw(
                        "DELETE on a file",
                        "DELETE " + FILE + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        true,
                        ANY_4XX),
                raw(
                        "PATCH on uploads",
                        "PATCH /legacy/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        true,
                        ANY_4XX),
                raw("TRACE", "TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true, ANY_4XX),
                raw(
                        "HEAD of a missing file",
                        "HEAD /files/demo-pkg/demo_pkg-9.0-py3-none-any.whl HTTP/1.1\r\nHost: x\r\n"
                                + "Connection: close\r\n\r\n",
                        true,
                        Set.of(404)),
                // broken HTTP
                raw("garbage request line", "GARBAGE\r\n\r\n", true, ANY_4XX),
                raw("unknown HTTP version", "GET /simple/ HTTP/9.9\r\nHost: x\r\n\r\n", true, Set.of(400)),
                raw("HTTP/1.1 without Host", "GET /simple/ HTTP/1.1\r\nConnection: close\r\n\r\n", true, ANY_4XX),
                raw(
                        "absolute-form target to another host",
                        "GET http://evil.example/simple/ HTTP/1.1\r\nHost: evil.example\r\n"
                                + "Connection: close\r\n\r\n",
                        true,
                        Set.of(200)),
                raw(
                        "malformed chunked body",
                        "POST /legacy/ HTTP/1.1\r\nHost: x\r\nAuthorization: " + uploadAuth
                                + "\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n"
                                + "Connection: close\r\n\r\nZZZ\r\nnot hex\r\n",
                        true,
                        ANY_4XX),
                raw(
                        "negative Content-Length",
                        "POST /legacy/ HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n" + "Connection: close\r\n\r\n",
                        true,
                        ANY_4XX),
                raw(
                        "invalid base64 credentials",
                        "GET /simple/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic !!!%%%\r\n"
                                + "Connection: close\r\n\r\n",
                        true,
                        Set.of(401)),
                raw(
                        "credentials that are not UTF-8",
                        "GET /simple/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                                + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', (byte) 0xc0})
                                + "\r\nConnection: close\r\n\r\n",
                        true,
                        Set.of(401)),
                raw(
                        "Basic credentials without a colon",
                        "GET /simple/ HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                                + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))
                                + "\r\nConnection: close\r\n\r\n",
                        true,
                        Set.of(401)),
                raw(
                        "unknown authorization scheme",
                        "GET /simple/ HTTP/1.1\r\nHost: x\r\nAuthorization: Digest x=1\r\n"
                                + "Connection: close\r\n\r\n",
                        true,
                        Set.of(401)),
                // uploads
                upload("wrong content type on upload", "application/json", "{\"a\":1}", ANY_4XX),
                upload("no content type on upload", null, "abc", ANY_4XX),
                upload("multipart without boundary", "multipart/form-data", "--x\r\n\r\n", ANY_4XX),
                upload(
                        "multipart with a boundary that never occurs",
                        "multipart/form-data; boundary=nope",
                        "just some bytes\r\n",
                        ANY_4XX),
                upload(
                        "truncated multipart",
                        "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; "
                                + "name=\"content\"; filename=\"demo_pkg-2.0-py3-none-any.whl\"\r\n\r\nPK\u0003\u0004trunc",
                        ANY_4XX),
                upload("multipart with no parts", "multipart/form-data; boundary=b", "--b--\r\n", ANY_4XX),
                upload(
                        "multipart without a content part",
                        "multipart/form-data; boundary=b",
                        part("b", "name", null, "demo-pkg") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "content filename with traversal",
                        "multipart/form-data; boundary=b",
                        part("b", "content", "../../demo_pkg-2.0-py3-none-any.whl", "PK") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "content filename that is absolute",
                        "multipart/form-data; boundary=b",
                        part("b", "content", "/etc/demo_pkg-2.0-py3-none-any.whl", "PK") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "content filename with NUL",
                        "multipart/form-data; boundary=b",
                        part("b", "content", "demo_pkg-2.0-py3-none-any.whl\u0000.txt", "PK") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "content filename with a backslash",
                        "multipart/form-data; boundary=b",
                        part("b", "content", "..\\demo_pkg-2.0-py3-none-any.whl", "PK") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "content that is not a zip",
                        "multipart/form-data; boundary=b",
                        part("b", "content", "demo_pkg-2.0-py3-none-any.whl", "not a zip at all") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "two content parts",
                        "multipart/form-data; boundary=b",
                        part("b", "content", "demo_pkg-2.0-py3-none-any.whl", "a")
                                + part("b", "content", "demo_pkg-3.0-py3-none-any.whl", "b") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "part header of 100 KB",
                        "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; " + "name=\"" + "n".repeat(100_000)
                                + "\"\r\n\r\nv\r\n--b--\r\n",
                        ANY_4XX),
                upload(
                        "10k-character content filename",
                        "multipart/form-data; boundary=b",
                        part("b", "content", "a".repeat(10_000) + "-1.0-py3-none-any.whl", "PK") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "form field of 5 MB",
                        "multipart/form-data; boundary=b",
                        part("b", "summary", null, "s".repeat(5 * 1024 * 1024)) + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "part without a name",
                        "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; "
                                + "filename=\"demo_pkg-2.0-py3-none-any.whl\"\r\n\r\nPK\r\n--b--\r\n",
                        ANY_4XX),
                upload(
                        "part without Content-Disposition",
                        "multipart/form-data; boundary=b",
                        "--b\r\nContent-Type: text/plain\r\n\r\nvalue\r\n--b--\r\n",
                        ANY_4XX),
                upload(
                        "content filename in RFC 5987 form only",
                        "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"content\"; filename*=UTF-8''..%2F..%2Fx.whl\r\n\r\nPK\r\n"
                                + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "form fields that are not UTF-8",
                        "multipart/form-data; boundary=b",
                        part("b", "name", null, "\u00ff\u00fe\u00c0")
                                + part("b", "content", "demo_pkg-2.0-py3-none-any.whl", "PK") + "--b--\r\n",
                        ANY_4XX),
                upload(
                        "hostile :action",
                        "multipart/form-data; boundary=b",
                        part("b", ":action", null, "remove_pkg<script>") + part("b", "content", WHEEL, "PK")
                                + "--b--\r\n",
                        ANY_4XX)));
        return rows.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void a_hostile_request_gets_a_clear_answer_and_never_a_5xx(Row row) throws Exception {
        RawHttp.Response r = RawHttp.send(server.port(), row.request(), row.halfClose());

        assertThat(r.status()).as("%s: status (body %s)", row.name(), r.body()).isBetween(200, 499);
        if (row.allowed().isEmpty()) {
            assertThat(r.status())
                    .as("%s: a 4xx (body %s)", row.name(), r.body())
                    .isBetween(400, 499);
        } else {
            assertThat(r.status()).as("%s (body %s)", row.name(), r.body()).isIn(row.allowed());
        }
        assertNoLeak(r);
        assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void an_upload_declared_larger_than_the_limit_is_refused_before_its_body_is_sent() throws Exception {
        String head = "POST /legacy/ HTTP/1.1\r\nHost: x\r\nAuthorization: " + uploadAuth
                + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (100L << 20) + "\r\n\r\n";

        RawHttp.Response r = RawHttp.send(server.port(), head.getBytes(StandardCharsets.ISO_8859_1), false);

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.millis()).as("answered without waiting for 100 MB").isLessThan(5_000);
        assertThat(r.body()).contains("limit");
        assertNoLeak(r);
    }

    @Test
    void a_chunked_upload_over_the_limit_is_refused_with_413() throws Exception {
        byte[] big = new byte[3 << 20];
        String body = part("b", ":action", null, "file_upload")
                + part("b", "content", "demo_pkg-2.0-py3-none-any.whl", new String(big, StandardCharsets.ISO_8859_1))
                + "--b--\r\n";
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /legacy/ HTTP/1.1\r\nHost: x\r\nAuthorization: " + uploadAuth
                        + "\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int off = 0; off < bytes.length; off += 65536) {
            int n = Math.min(65536, bytes.length - off);
            request.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            request.write(bytes, off, n);
            request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

        RawHttp.Response r = RawHttp.send(server.port(), request.toByteArray(), true);

        assertThat(r.status()).isEqualTo(413);
        assertNoLeak(r);
    }

    @Test
    void nothing_was_stored_and_no_spool_file_is_left() throws Exception {
        for (Arguments row : rows().toList()) {
            Row r = (Row) row.get()[0];
            RawHttp.send(server.port(), r.request(), r.halfClose());
        }

        String index = new String(
                server.get("/simple/", "Accept", "application/vnd.pypi.simple.v1+json")
                        .body(),
                StandardCharsets.UTF_8);
        assertThat(index).contains("\"demo-pkg\"").doesNotContain("passwd");
        assertThat(index.split("\"name\"", -1)).hasSize(2);
        assertThat(new String(server.get("/simple/demo-pkg/").body(), StandardCharsets.UTF_8))
                .doesNotContain("2.0");
        assertThat(files(data.resolve("blobs"))).isEqualTo(blobsBefore);
        assertThat(files(data.resolve("tmp"))).noneMatch(f -> f.endsWith(".part"));
        assertThat(server.get(FILE).body()).isEqualTo(wheelBytes);
    }

    /** No stack trace, class or server path; error bodies are plain text that browsers must not sniff. */
    private static void assertNoLeak(RawHttp.Response r) {
        if (r.status() >= 400) {
            assertThat(r.header("Content-Type")).as("error content type").startsWith("text/plain");
        }
        assertThat(r.header("X-Content-Type-Options")).as("nosniff").isEqualTo("nosniff");
        assertThat(r.body())
                .doesNotContain("\tat ")
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("dev.wheelwright")
                .doesNotContain("org.eclipse")
                .doesNotContain(data.toAbsolutePath().toString())
                .doesNotContain(dir.toAbsolutePath().toString());
    }

    private static Row get(String name, String target, Set<Integer> allowed, String... headers) {
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        return new Row(name, sb.toString().getBytes(StandardCharsets.ISO_8859_1), true, allowed);
    }

    private static Row raw(String name, String request, boolean halfClose, Set<Integer> allowed) {
        return new Row(name, request.getBytes(StandardCharsets.ISO_8859_1), halfClose, allowed);
    }

    /** A POST to /legacy/ with the upload token; {@code body} in ISO-8859-1 so every char is one byte. */
    private static Row upload(String name, String contentType, String body, Set<Integer> allowed) {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder("POST /legacy/ HTTP/1.1\r\nHost: x\r\nAuthorization: ")
                .append(uploadAuth)
                .append("\r\n");
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        sb.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(bytes);
        return new Row(name, out.toByteArray(), true, allowed);
    }

    private static String part(String boundary, String name, String filename, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"") + "\r\n\r\n" + value + "\r\n";
    }

    private static List<String> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }
}

package dev.wheelwright.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.testing.PythonTools;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * #5: with {@code auth.anonymous-read: false} every read needs a read token, and a token limited to a project glob
 * sees only those projects. The generic read guard covers routes added later (UI project pages, /api/v1) too.
 */
class AccessControlIT {
    private static final String ACME_WHEEL = "acme_utils-1.0-py3-none-any.whl";
    private static final String OTHER_WHEEL = "other_pkg-2.0-py3-none-any.whl";

    @TempDir
    static Path dir;

    private static TestServer server;
    private static String reader;
    private static String acmeReader;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("data"), "auth: {anonymous-read: false}\n");
        String uploader = server.token("uploader", Scope.UPLOAD);
        for (Path wheel : List.of(
                Wheels.simple(Files.createDirectories(dir.resolve("dist")), "acme-utils", "1.0", "2.1"),
                Wheels.simple(dir.resolve("dist"), "other-pkg", "2.0", "2.1"))) {
            assertThat(server.upload(uploader, TestServer.twineForm(wheel)).statusCode())
                    .isEqualTo(200);
        }
        reader = server.token("reader", Scope.READ);
        acmeReader = server.token("acme-reader", Optional.of("acme-*"), Scope.READ);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "anonymous GET {0} -> 401 with a Basic challenge")
    @ValueSource(
            strings = {
                "/",
                "/simple/",
                "/simple/?format=application/vnd.pypi.simple.v1+json",
                "/simple/acme-utils/",
                "/simple/Acme_Utils/",
                "/simple/no-such-project/",
                "/files/acme-utils/" + ACME_WHEEL,
                "/files/acme-utils/" + ACME_WHEEL + ".metadata",
                "/project/acme-utils/",
                "/project/acme-utils/1.0/",
                "/?q=acme",
                "/builds/",
                "/api/v1/builds?project=acme-utils",
                "/api/v1/builds/acme-utils/1.0/log",
                "/metrics",
                "/no/such/route"
            })
    void anonymous_reads_are_challenged(String path) throws Exception {
        HttpResponse<byte[]> r = server.get(path);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wheelwright\"");
        assertThat(body(r)).doesNotContain("acme").doesNotContain("other-pkg");
    }

    @Test
    void anonymous_head_is_challenged_too() throws Exception {
        var r = server.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/files/acme-utils/" + ACME_WHEEL)))
                        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wheelwright\"");
    }

    @ParameterizedTest(name = "{0} stays public for probes")
    @ValueSource(strings = {"/healthz", "/readyz"})
    void health_probes_need_no_token(String path) throws Exception {
        assertThat(server.get(path).statusCode()).isEqualTo(200);
    }

    @Test
    void a_wrong_token_is_401_not_anonymous() throws Exception {
        HttpResponse<byte[]> r = server.get(
                "/simple/", "Authorization", TestServer.basic("__token__", "ww_0123456789abcdef_" + "x".repeat(43)));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wheelwright\"");
    }

    @Test
    void a_read_token_reads_every_page_and_file() throws Exception {
        String auth = TestServer.basic("__token__", reader);

        assertThat(server.get("/", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(server.get("/simple/", "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(server.get("/simple/other-pkg/", "Authorization", auth).statusCode())
                .isEqualTo(200);
        assertThat(server.get("/files/other-pkg/" + OTHER_WHEEL, "Authorization", auth)
                        .statusCode())
                .isEqualTo(200);
        assertThat(server.get("/files/acme-utils/" + ACME_WHEEL + ".metadata", "Authorization", "Bearer " + reader)
                        .statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic ", "BASIC ", "Basic  "})
    void the_basic_scheme_is_case_insensitive_and_may_have_more_spaces(String scheme) throws Exception {
        String credentials = TestServer.basic("__token__", reader).substring("Basic ".length());

        assertThat(server.get("/simple/", "Authorization", scheme + credentials).statusCode())
                .isEqualTo(200);
        assertThat(server.get("/simple/", "Authorization", scheme + "bm90LWEtY29sb24=")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void pip_23_installs_with_credentials_in_the_index_url() throws Exception {
        String indexUrl = "http://__token__:" + reader + "@127.0.0.1:" + server.port() + "/simple/";
        Path target = dir.resolve("pip-target");

        PythonTools.Run run = PythonTools.pipInstall(
                        PythonTools.pip23(), indexUrl, target, List.of("acme-utils==1.0"), Map.of())
                .requireSuccess("pip install with URL credentials");

        assertThat(target.resolve("acme_utils/__init__.py")).exists();
        assertThat(run.output()).doesNotContain(reader);
    }

    @Test
    void pip_23_without_credentials_fails_on_a_protected_index() throws Exception {
        PythonTools.Run run = PythonTools.pipInstall(
                PythonTools.pip23(), server.indexUrl(), dir.resolve("pip-anon"), List.of("acme-utils==1.0"), Map.of());

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("No matching distribution found for acme-utils");
        assertThat(dir.resolve("pip-anon/acme_utils")).doesNotExist();
    }

    @Test
    void a_read_token_cannot_upload() throws Exception {
        Path wheel = Wheels.simple(Files.createDirectories(dir.resolve("dist-read")), "acme-utils", "3.0", "2.1");

        HttpResponse<String> r = server.upload(reader, TestServer.twineForm(wheel));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(server.get("/simple/acme-utils/", "Authorization", TestServer.basic("__token__", reader))
                        .body())
                .asString(StandardCharsets.UTF_8)
                .doesNotContain("3.0");
    }

    @Test
    void a_glob_token_sees_only_its_projects_in_the_root_list() throws Exception {
        String auth = TestServer.basic("__token__", acmeReader);

        String html = body(server.get("/simple/", "Authorization", auth));
        String json =
                body(server.get("/simple/", "Authorization", auth, "Accept", "application/vnd.pypi.simple.v1+json"));
        String home = body(server.get("/", "Authorization", auth));

        assertThat(html).contains("acme-utils").doesNotContain("other-pkg");
        assertThat(json).contains("\"acme-utils\"").doesNotContain("other-pkg");
        assertThat(home).contains("acme-utils").doesNotContain("other-pkg").doesNotContain("other_pkg");
    }

    @Test
    void a_glob_token_gets_404_outside_its_projects_and_200_inside() throws Exception {
        String auth = TestServer.basic("__token__", acmeReader);

        assertThat(server.get("/simple/other-pkg/", "Authorization", auth).statusCode())
                .isEqualTo(404);
        assertThat(server.get("/files/other-pkg/" + OTHER_WHEEL, "Authorization", auth)
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.get("/files/other-pkg/" + OTHER_WHEEL + ".metadata", "Authorization", auth)
                        .statusCode())
                .isEqualTo(404);
        assertThat(server.get("/simple/acme-utils/", "Authorization", auth).statusCode())
                .isEqualTo(200);
        HttpResponse<byte[]> file = server.get("/files/acme-utils/" + ACME_WHEEL, "Authorization", auth);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(Files.readAllBytes(dir.resolve("dist").resolve(ACME_WHEEL)));
    }

    @Test
    void the_404_outside_the_glob_is_the_same_as_for_a_missing_project() throws Exception {
        String auth = TestServer.basic("__token__", acmeReader);

        String hidden = body(server.get("/simple/other-pkg/", "Authorization", auth));
        String missing = body(server.get("/simple/no-such-pkg/", "Authorization", auth));

        assertThat(hidden.replace("other-pkg", "X")).isEqualTo(missing.replace("no-such-pkg", "X"));
    }

    @Test
    void the_web_ui_shows_a_glob_token_only_its_projects_on_every_page_search_count_and_recent_list() throws Exception {
        // #10: the same principal, the same filter, on the human pages
        String auth = "Bearer " + acmeReader;

        String home = body(server.get("/", "Authorization", auth));
        String search = body(server.get("/?q=pkg", "Authorization", auth));

        assertThat(home)
                .contains("acme-utils")
                .doesNotContain("other-pkg")
                .contains("<span id=\"project-count\">1</span>");
        assertThat(search).doesNotContain("other-pkg").contains("<span id=\"project-count\">1</span>");
        assertThat(server.get("/project/other-pkg/", "Authorization", auth).statusCode())
                .isEqualTo(404);
        assertThat(server.get("/project/other-pkg/2.0/", "Authorization", auth).statusCode())
                .isEqualTo(404);
        assertThat(server.get("/project/acme-utils/1.0/", "Authorization", auth).statusCode())
                .isEqualTo(200);
        assertThat(body(server.get("/", "Authorization", "Bearer " + reader))).contains("other-pkg");
        assertThat(server.get("/signin").statusCode()).isEqualTo(200);
        assertThat(server.get("/static/wheelwright.css").statusCode()).isEqualTo(200);
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}

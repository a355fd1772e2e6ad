package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.StorageFixtures;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rendered pages held in memory (project pages and the root page, identity and gzip) are never served stale: every
 * write shows at once, whether this server, another connection or another process made it; unchanged pages
 * revalidate with 304.
 */
class PageCachingIT {
    private static final String JSON = "application/vnd.pypi.simple.v1+json";

    @TempDir
    Path data;

    @TempDir
    Path work;

    private TestServer server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(data);
        token = server.token("ci", Scope.UPLOAD);
        upload("alpha", "1.0");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void upload(String name, String version) throws Exception {
        Path wheel = Wheels.simple(work, name, version, "2.1");
        assertThat(server.upload(token, TestServer.twineForm(wheel)).statusCode())
                .isEqualTo(200);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static String etag(HttpResponse<?> response) {
        return response.headers().firstValue("ETag").orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/simple/", "/simple/alpha/"})
    void a_client_that_accepts_gzip_gets_the_same_page_gzipped_with_its_own_etag(String path) throws Exception {
        HttpResponse<byte[]> identity = server.get(path, "Accept", JSON);
        HttpResponse<byte[]> gzipped = server.get(path, "Accept", JSON, "Accept-Encoding", "gzip, deflate");

        assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(gzipped.body())).isEqualTo(identity.body());
        assertThat(gzipped.body().length).isLessThan(identity.body().length + 32);
        assertThat(etag(gzipped)).isNotEqualTo(etag(identity));
        assertThat(gzipped.headers().firstValue("Vary")).hasValue("Accept, Accept-Encoding");
        for (String known : new String[] {etag(identity), etag(gzipped)}) {
            assertThat(server.get(path, "Accept", JSON, "Accept-Encoding", "gzip", "If-None-Match", known)
                            .statusCode())
                    .isEqualTo(304);
        }
        assertThat(server.get(path, "Accept", JSON, "Accept-Encoding", "gzip;q=0")
                        .headers()
                        .firstValue("Content-Encoding"))
                .isEmpty();
    }

    @Test
    void the_root_page_revalidates_with_304_until_an_upload_changes_it() throws Exception {
        HttpResponse<byte[]> first = server.get("/simple/");
        assertThat(server.get("/simple/", "If-None-Match", etag(first)).statusCode())
                .isEqualTo(304);

        upload("beta", "1.0");

        HttpResponse<byte[]> after = server.get("/simple/", "If-None-Match", etag(first));
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(text(after)).contains("/simple/alpha/").contains("/simple/beta/");
    }

    @Test
    void a_yank_shows_at_once_on_a_cached_page() throws Exception {
        assertThat(text(server.get("/simple/alpha/"))).doesNotContain("data-yanked");

        server.running()
                .store()
                .catalog()
                .setYanked(ProjectName.parse("alpha"), "alpha-1.0-py3-none-any.whl", Optional.of("broken"));

        assertThat(text(server.get("/simple/alpha/"))).contains("data-yanked=\"broken\"");
    }

    @Test
    void a_write_by_another_process_shows_at_once_on_cached_pages() throws Exception {
        String rootBefore = text(server.get("/simple/"));
        assertThat(server.get("/simple/gamma/").statusCode()).isEqualTo(404);
        assertThat(rootBefore).doesNotContain("gamma");

        // what the CLI does: its own pool on the same database file, in the same moment
        try (JdbcStorage cli = JdbcStorage.openSqlite(data.resolve("wheelwright.db"))) {
            assertThat(cli.catalog()
                            .addFile(
                                    StorageFixtures.wheel("gamma", "1.0", Instant.parse("2026-01-01T00:00:00Z")),
                                    "gamma",
                                    ""))
                    .isEmpty();
        }

        assertThat(text(server.get("/simple/"))).contains("/simple/gamma/");
        assertThat(text(server.get("/simple/gamma/"))).contains("gamma-1.0-py3-none-any.whl");
    }
}

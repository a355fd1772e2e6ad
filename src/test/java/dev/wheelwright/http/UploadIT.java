package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.testing.Multipart;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The twine upload endpoint: what it accepts, and every bad upload refused with a clear 4xx and nothing stored. */
class UploadIT {
    @TempDir
    Path data;

    @TempDir
    Path work;

    private TestServer server;
    private String uploadToken;

    @BeforeEach
    void start() {
        server = TestServer.start(data);
        uploadToken = server.token("ci", Scope.UPLOAD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void stores_a_wheel_and_lists_it_with_its_hash() throws Exception {
        Path wheel = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");

        HttpResponse<String> response = server.upload(uploadToken, TestServer.twineForm(wheel));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String page = new String(server.get("/simple/demo-pkg/").body(), StandardCharsets.UTF_8);
        assertThat(page)
                .contains("demo_pkg-1.0.0-py3-none-any.whl#sha256="
                        + TestServer.digest("SHA-256", Files.readAllBytes(wheel)));
    }

    @Test
    void accepts_the_identical_file_again_as_a_no_op() throws Exception {
        Path wheel = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");
        server.upload(uploadToken, TestServer.twineForm(wheel));

        HttpResponse<String> again = server.upload(uploadToken, TestServer.twineForm(wheel));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(server.running().store().catalog().files(ProjectName.parse("demo-pkg")))
                .hasSize(1);
    }

    @Test
    void refuses_other_bytes_under_an_existing_filename_with_409() throws Exception {
        Path first = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");
        server.upload(uploadToken, TestServer.twineForm(first));
        Path other = work.resolve("other");
        Files.createDirectories(other);
        Path second = Wheels.wheel(
                other,
                "demo_pkg-1.0.0-py3-none-any.whl",
                "demo_pkg-1.0.0.dist-info",
                "demo_pkg",
                "1.0.0",
                Wheels.metadata("2.1", "demo-pkg", "1.0.0", "Summary: different bytes\n"));
        byte[] before = Files.readAllBytes(first);

        HttpResponse<String> response = server.upload(uploadToken, TestServer.twineForm(second));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("File already exists: demo_pkg-1.0.0-py3-none-any.whl");
        byte[] served =
                server.get("/files/demo-pkg/demo_pkg-1.0.0-py3-none-any.whl").body();
        assertThat(served).isEqualTo(before);
    }

    @Test
    void refuses_an_upload_without_a_token_with_401_and_a_basic_challenge() throws Exception {
        Path wheel = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");

        HttpResponse<String> response = server.upload(null, TestServer.twineForm(wheel));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"wheelwright\"");
        assertNothingStored();
    }

    @Test
    void refuses_a_wrong_token_with_401() throws Exception {
        Path wheel = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");

        HttpResponse<String> response = server.upload(
                "ww_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TestServer.twineForm(wheel));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("Invalid or unknown token");
        assertNothingStored();
    }

    @Test
    void refuses_a_read_token_with_403() throws Exception {
        String reader = server.token("reader", Scope.READ);
        Path wheel = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");

        HttpResponse<String> response = server.upload(reader, TestServer.twineForm(wheel));

        assertThat(response.statusCode()).isEqualTo(403);
        assertNothingStored();
    }

    @Test
    void refuses_garbage_bytes_named_like_a_wheel() throws Exception {
        Multipart form = new Multipart()
                .field(":action", "file_upload")
                .field("protocol_version", "1")
                .file(
                        "content",
                        "demo_pkg-1.0.0-py3-none-any.whl",
                        "this is not a zip".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = server.upload(uploadToken, form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).containsIgnoringCase("zip");
        assertNothingStored();
    }

    @Test
    void refuses_a_filename_with_a_path() throws Exception {
        Path wheel = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");
        Multipart form = new Multipart()
                .field(":action", "file_upload")
                .file("content", "../../demo_pkg-1.0.0-py3-none-any.whl", Files.readAllBytes(wheel));

        HttpResponse<String> response = server.upload(uploadToken, form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertNothingStored();
    }

    @Test
    void refuses_metadata_that_names_another_project() throws Exception {
        Path wheel = Wheels.wheel(
                work,
                "demo_pkg-1.0.0-py3-none-any.whl",
                "demo_pkg-1.0.0.dist-info",
                "demo_pkg",
                "1.0.0",
                Wheels.metadata("2.1", "requests", "1.0.0", ""));

        HttpResponse<String> response = server.upload(uploadToken, TestServer.twineForm(wheel));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("requests");
        assertNothingStored();
    }

    @Test
    void refuses_a_filename_version_that_differs_from_the_metadata() throws Exception {
        Path wheel = Wheels.wheel(
                work,
                "demo_pkg-1.0.0-py3-none-any.whl",
                "demo_pkg-1.0.0.dist-info",
                "demo_pkg",
                "1.0.0",
                Wheels.metadata("2.1", "demo-pkg", "2.0.0", ""));

        HttpResponse<String> response = server.upload(uploadToken, TestServer.twineForm(wheel));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("2.0.0").contains("1.0.0");
        assertNothingStored();
    }

    @Test
    void refuses_a_digest_that_does_not_match_the_file() throws Exception {
        Path wheel = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");
        Multipart form = new Multipart()
                .field(":action", "file_upload")
                .field("sha256_digest", "0".repeat(64))
                .file("content", wheel);

        HttpResponse<String> response = server.upload(uploadToken, form);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("digest");
        assertNothingStored();
    }

    @Test
    void refuses_a_truncated_multipart_body() throws Exception {
        Path wheel = Wheels.simple(work, "demo-pkg", "1.0.0", "2.1");
        Multipart form = TestServer.twineForm(wheel);
        byte[] body = form.body();
        int cut = body.length - 200;
        String head = "POST /legacy/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + form.contentType()
                + "\r\nAuthorization: " + TestServer.basic("__token__", uploadToken) + "\r\nContent-Length: " + cut
                + "\r\nConnection: close\r\n\r\n";

        String response;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body, 0, cut);
            socket.getOutputStream().flush();
            response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(response).startsWith("HTTP/1.1 400");
        assertNothingStored();
    }

    @Test
    void refuses_an_upload_without_a_file_part() throws Exception {
        HttpResponse<String> response = server.upload(uploadToken, new Multipart().field(":action", "file_upload"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("does not have a file");
    }

    private void assertNothingStored() throws IOException {
        assertThat(server.running().store().catalog().projects()).isEmpty();
        Path blobs = data.resolve("blobs");
        if (Files.exists(blobs)) {
            try (Stream<Path> files = Files.walk(blobs)) {
                List<Path> regular = files.filter(Files::isRegularFile).toList();
                assertThat(regular).as("blobs left behind").isEmpty();
            }
        }
        try (Stream<Path> files = Files.walk(data.resolve("tmp"))) {
            assertThat(files.filter(Files::isRegularFile).toList())
                    .as("temporary files left behind")
                    .isEmpty();
        }
    }
}

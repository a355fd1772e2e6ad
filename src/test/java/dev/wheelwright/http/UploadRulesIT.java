package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * #14 through {@code /legacy/} with the form twine sends: every upload rule answers 400 or 409 with one sentence
 * naming the problem, and neither the database nor the blob store changes.
 */
class UploadRulesIT {
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
        Path existing = Wheels.simple(work, "acme-core", "0.9", "2.1");
        assertThat(server.upload(token, TestServer.twineForm(existing)).statusCode())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # metadata-version | header                                          | expected body
            2.1 | Requires-Dist: requests (>=2.0;;; bad                      | Invalid Requires-Dist "requests (>=2.0;;; bad": not a PEP 508 dependency specifier
            2.1 | Requires-Python: not a specifier                           | Invalid Requires-Python "not a specifier": not a PEP 440 version specifier set
            2.1 | Summary: <5000 characters>                                 | it is longer than 512 characters.
            2.1 | Description-Content-Type: text/markdown; variant=Foo       | Invalid Description-Content-Type "text/markdown; variant=Foo": the markdown variant must be GFM or CommonMark.
            3.0 |                                                            | Invalid Metadata-Version "3.0": a newer major version than 2 cannot be read.
            1.3 |                                                            | Invalid Metadata-Version "1.3": not a known metadata version
            2.2 | Dynamic: Version                                           | Invalid Dynamic "Version": Name, Version and Metadata-Version are never dynamic.
            2.3 | Provides-Extra: tests all                                  | Invalid Provides-Extra "tests all": an extra name is letters, digits, '.', '_' and '-'.
            2.4 | License-Expression: MIT OR                                 | Invalid License-Expression "MIT OR": not a valid SPDX license expression, it ends where a license was expected.
            2.4 | License-File: LICENSE                                      | Invalid License-File "LICENSE": no such file in acme_core-1.0-py3-none-any.whl at acme_core-1.0.dist-info/licenses/.
            2.1 | Summary: two\\n lines                                      | Invalid Summary "two\\u000a lines": it must be a single line.
            2.1 | Project-URL: https://example.com                           | Invalid Project-URL "https://example.com": it must be "label, URL".
            2.1 | Project-URL: Source, ftp://example.com                     | Invalid Project-URL "Source, ftp://example.com": the URL must be an http or https URL.
            """)
    void refuses_metadata_that_breaks_a_field_rule_with_400(String metadataVersion, String header, String expected)
            throws Exception {
        String line = header == null
                ? ""
                : header.replace("<5000 characters>", "s".repeat(5000)).replace("\\n", "\n") + "\n";
        Path wheel = Wheels.wheel(
                work,
                "acme_core-1.0-py3-none-any.whl",
                "acme_core-1.0.dist-info",
                "acme_core",
                "1.0",
                Wheels.metadata(metadataVersion, "acme-core", "1.0", line));
        Snapshot before = snapshot();

        HttpResponse<String> response = server.upload(token, TestServer.twineForm(wheel));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body().strip())
                .contains(expected)
                .doesNotContain("\n")
                .endsWith(".");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void refuses_a_second_file_of_the_same_distribution_with_409_naming_the_existing_file() throws Exception {
        Path other = Wheels.wheel(
                Files.createDirectories(work.resolve("other")),
                "acme_core-0.9.0-py3-none-any.whl",
                "acme_core-0.9.0.dist-info",
                "acme_core",
                "0.9.0",
                Wheels.metadata("2.1", "acme-core", "0.9.0", "Summary: other bytes\n"));
        Snapshot before = snapshot();

        HttpResponse<String> response = server.upload(token, TestServer.twineForm(other));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body().strip())
                .isEqualTo("File already exists: acme_core-0.9-py3-none-any.whl is the same distribution as"
                        + " acme_core-0.9.0-py3-none-any.whl (same name, version, build tag and tags) with other"
                        + " bytes.");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void refuses_a_wheel_not_named_with_the_normalized_project_name_with_400() throws Exception {
        Path legacy = Wheels.wheel(
                work,
                "ACME_Core-1.0-py3-none-any.whl",
                "ACME_Core-1.0.dist-info",
                "acme_core",
                "1.0",
                Wheels.metadata("2.1", "ACME_Core", "1.0", ""));
        Snapshot before = snapshot();

        HttpResponse<String> response = server.upload(token, TestServer.twineForm(legacy));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body().strip())
                .isEqualTo("Filename 'ACME_Core-1.0-py3-none-any.whl' should contain the normalized project name"
                        + " 'acme_core', not 'ACME_Core'.");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void accepts_valid_metadata_of_every_checked_field() throws Exception {
        Path good = Wheels.wheel(
                work,
                "acme_core-1.0-py3-none-any.whl",
                "acme_core-1.0.dist-info",
                "acme_core",
                "1.0",
                Wheels.metadata("2.4", "acme-core", "1.0", """
                        Summary: Find the grail
                        Requires-Python: >=3.9
                        Requires-Dist: requests>=2.31
                        Requires-Dist: rich; extra == "cli"
                        Provides-Extra: cli
                        Dynamic: Requires-Dist
                        License-Expression: MIT OR Apache-2.0
                        Project-URL: Source, https://git.example.com/holygrail
                        Description-Content-Type: text/markdown; variant=GFM
                        """));

        HttpResponse<String> response = server.upload(token, TestServer.twineForm(good));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(server.running().store().catalog().files(ProjectName.parse("acme-core")))
                .extracting(StoredFile::filename)
                .contains("acme_core-1.0-py3-none-any.whl");
    }

    /** What a refused upload must leave as it was: the catalog's rows and the blob store's files. */
    private record Snapshot(List<String> files, List<Path> blobs) {}

    private Snapshot snapshot() throws IOException {
        List<String> files = server.running().store().catalog().files(ProjectName.parse("acme-core")).stream()
                .map(f -> f.filename() + " " + f.sha256())
                .toList();
        try (Stream<Path> blobs = Files.walk(data.resolve("blobs"))) {
            return new Snapshot(
                    files, blobs.filter(Files::isRegularFile).sorted().toList());
        }
    }
}

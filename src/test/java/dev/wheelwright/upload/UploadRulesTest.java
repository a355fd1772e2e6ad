package dev.wheelwright.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.auth.Principal;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.InvalidMetadataException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.InMemoryBlobStore;
import dev.wheelwright.storage.InMemoryProjectCatalog;
import dev.wheelwright.testing.TarWriter;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** #14 at the service, the one place uploads, imports and builds go through: identity, spelling, field rules. */
class UploadRulesTest {
    private static final Principal UPLOADER = new Principal("ci", Set.of(Scope.UPLOAD), Optional.empty());

    @TempDir
    Path dir;

    private final InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private UploadService service;

    private UploadService service() {
        if (service == null) {
            service = new UploadService(catalog, blobs, dir.resolve("spool"), 1 << 24, Clock.systemUTC());
        }
        return service;
    }

    @Test
    void refuses_a_second_spelling_of_a_stored_wheel_with_other_bytes_naming_the_existing_file() throws IOException {
        // #14: ACME_Core-1.0 next to acme_core-1.0, other bytes
        service()
                .importFile(
                        wheel("acme_core-1.0-py3-none-any.whl", "acme_core-1.0.dist-info", "Acme-Core", ""), "import");
        Path other =
                wheel("ACME_Core-1.0-py3-none-any.whl", "ACME_Core-1.0.dist-info", "ACME_Core", "Summary: other\n");

        assertThatThrownBy(() -> service().importFile(other, "import"))
                .isInstanceOf(DuplicateFileException.class)
                .hasMessage("File already exists: acme_core-1.0-py3-none-any.whl is the same distribution as"
                        + " ACME_Core-1.0-py3-none-any.whl (same name, version, build tag and tags) with other bytes.");
        assertThat(catalog.files(ProjectName.parse("acme-core"))).hasSize(1);
    }

    @Test
    void takes_the_same_bytes_under_another_spelling_as_the_usual_no_op() throws IOException {
        Path first = wheel("acme_core-1.0-py3-none-any.whl", "acme_core-1.0.dist-info", "acme-core", "");
        service().importFile(first, "import");
        Path respelled = dir.resolve("respelled");
        Files.createDirectories(respelled);
        Path same = Files.copy(first, respelled.resolve("acme_core-1.0.0-py3-none-any.whl"));
        int blobCount = blobs.size();

        UploadService.Result result = service().importFile(same, "import");

        assertThat(result.outcome()).isEqualTo(UploadService.Outcome.ALREADY_PRESENT);
        assertThat(result.filename()).isEqualTo("acme_core-1.0-py3-none-any.whl");
        assertThat(catalog.files(ProjectName.parse("acme-core"))).hasSize(1);
        assertThat(blobs.size()).isEqualTo(blobCount);
    }

    @Test
    void imports_a_legacy_spelling_but_refuses_it_as_an_upload() throws IOException {
        Path legacy = wheel("Acme.Core-1.0-py3-none-any.whl", "Acme.Core-1.0.dist-info", "Acme.Core", "");

        assertThatThrownBy(() -> service()
                        .upload(
                                UPLOADER,
                                Map.of(),
                                service().receive(legacy.getFileName().toString(), Files.newInputStream(legacy))))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("Filename 'Acme.Core-1.0-py3-none-any.whl' should contain the normalized project name"
                        + " 'acme_core', not 'Acme.Core'.");
        assertThat(catalog.projects()).isEmpty();
        assertThat(service().importFile(legacy, "import").outcome()).isEqualTo(UploadService.Outcome.STORED);
    }

    @Test
    void refuses_an_sdist_upload_not_spelled_per_pep_625() throws IOException {
        Path sdist = sdist("acme_core-v1.0.tar.gz", "acme_core-v1.0", "2.2", "acme-core", "1.0", "", Map.of());

        assertThatThrownBy(() -> upload(sdist))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage("Filename 'acme_core-v1.0.tar.gz' is invalid, should be 'acme_core-1.0.tar.gz'.");
        assertThat(catalog.projects()).isEmpty();
    }

    @Test
    void refuses_bad_metadata_at_import_too_and_stores_nothing() throws IOException {
        Path bad = wheel(
                "acme_core-1.0-py3-none-any.whl",
                "acme_core-1.0.dist-info",
                "acme-core",
                "Requires-Python: not a specifier\n");

        assertThatThrownBy(() -> service().importFile(bad, "build"))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessage("Invalid Requires-Python \"not a specifier\": not a PEP 440 version specifier set such as"
                        + " \">=3.9\".");
        assertThat(catalog.projects()).isEmpty();
        assertThat(blobs.size()).isZero();
    }

    @Test
    void the_file_wins_over_form_fields_other_than_name_and_version() throws IOException {
        Path good = wheel(
                "acme_core-1.0-py3-none-any.whl",
                "acme_core-1.0.dist-info",
                "acme-core",
                "Requires-Python: >=3.9\nSummary: from the file\n");
        Map<String, List<String>> form = Map.of(
                "requires_python", List.of("garbage ;;"),
                "summary", List.of("x".repeat(5000)),
                "requires_dist", List.of("requests (>=2.0;;; bad"));

        UploadService.Result result = service().upload(UPLOADER, form, receive(good));

        assertThat(result.outcome()).isEqualTo(UploadService.Outcome.STORED);
        assertThat(result.file().requiresPython()).hasValue(">=3.9");
        assertThat(catalog.project(ProjectName.parse("acme-core")).orElseThrow().summary())
                .isEqualTo("from the file");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            # field | sent      | refusal
            name    | other     | The form field name 'other' does not match the file's metadata name 'acme-core'.
            name    | -bad-     | '-bad-' is an invalid value for Name.
            version | 2.0       | The form field version '2.0' does not match the file's metadata version '1.0'.
            version | not.a.v   | 'not.a.v' is an invalid value for Version.
            """)
    void refuses_a_name_or_version_field_that_the_metadata_contradicts(String field, String sent, String refusal)
            throws IOException {
        Path good = wheel("acme_core-1.0-py3-none-any.whl", "acme_core-1.0.dist-info", "acme-core", "");
        ReceivedFile received = receive(good);

        assertThatThrownBy(() -> service().upload(UPLOADER, Map.of(field, List.of(sent)), received))
                .isInstanceOf(UploadRejectedException.class)
                .hasMessage(refusal);
        assertThat(catalog.files(ProjectName.parse("acme-core"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            name    | ACME.Core
            version | 1.0.0
            """)
    void takes_a_name_or_version_field_spelled_otherwise_but_equal_to_the_metadata(String field, String sent)
            throws IOException {
        Path good = wheel("acme_core-1.0-py3-none-any.whl", "acme_core-1.0.dist-info", "acme-core", "");

        UploadService.Result result = service().upload(UPLOADER, Map.of(field, List.of(sent)), receive(good));

        assertThat(result.outcome()).isEqualTo(UploadService.Outcome.STORED);
    }

    @Test
    void takes_unknown_requires_python_as_absent_and_never_lists_it() throws IOException {
        Path old = wheel(
                "acme_core-1.0-py3-none-any.whl",
                "acme_core-1.0.dist-info",
                "acme-core",
                "Requires-Python: UNKNOWN\nSummary: UNKNOWN\n");

        UploadService.Result result = service().importFile(old, "import");

        assertThat(result.file().requiresPython()).isEmpty();
    }

    @Test
    void finds_the_license_files_of_a_2_4_wheel_under_dist_info_licenses() throws IOException {
        String meta = Wheels.metadata("2.4", "acme-core", "1.0", "License-Expression: MIT\nLicense-File: LICENSE\n");
        Path good = zip(
                "acme_core-1.0-py3-none-any.whl",
                Map.of("acme_core-1.0.dist-info/METADATA", meta, "acme_core-1.0.dist-info/licenses/LICENSE", "MIT"));
        Path bad = zip(
                "acme_core-2.0-py3-none-any.whl",
                Map.of(
                        "acme_core-2.0.dist-info/METADATA",
                        meta.replace("1.0", "2.0"),
                        "acme_core-2.0.dist-info/LICENSE",
                        "MIT"));

        assertThat(service().importFile(good, "import").outcome()).isEqualTo(UploadService.Outcome.STORED);
        assertThatThrownBy(() -> service().importFile(bad, "import"))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessage("Invalid License-File \"LICENSE\": no such file in acme_core-2.0-py3-none-any.whl at"
                        + " acme_core-2.0.dist-info/licenses/.");
    }

    @Test
    void finds_the_license_files_of_a_2_4_sdist_under_its_top_directory() throws IOException {
        String headers = "License-File: LICENSES/MIT.txt\n";
        Path good = sdist(
                "acme_core-1.0.tar.gz",
                "acme_core-1.0",
                "2.4",
                "acme-core",
                "1.0",
                headers,
                Map.of("LICENSES/MIT.txt", "MIT"));
        Path bad = sdist(
                "acme_core-2.0.tar.gz", "acme_core-2.0", "2.4", "acme-core", "2.0", headers, Map.of("LICENSE", "MIT"));

        assertThat(upload(good).outcome()).isEqualTo(UploadService.Outcome.STORED);
        assertThatThrownBy(() -> upload(bad))
                .isInstanceOf(InvalidMetadataException.class)
                .hasMessage("Invalid License-File \"LICENSES/MIT.txt\": no such file in acme_core-2.0.tar.gz at"
                        + " acme_core-2.0/.");
        assertThat(catalog.files(ProjectName.parse("acme-core"))).hasSize(1);
    }

    @Test
    void every_refusal_is_a_clear_invalid_input_for_each_field() throws IOException {
        String[] headers = {
            "Requires-Dist: requests (>=2.0;;; bad\n",
            "Summary: " + "s".repeat(5000) + "\n",
            "Provides-Extra: -tests\n",
            "Description-Content-Type: text/markdown; variant=Foo\n",
            "Dynamic: Version\n",
            "License-Expression: MIT OR\n",
            "Project-URL: https://example.com\n"
        };
        for (String header : headers) {
            Path bad = wheel("acme_core-1.0-py3-none-any.whl", "acme_core-1.0.dist-info", "acme-core", header);

            assertThatThrownBy(() -> upload(bad))
                    .as(header)
                    .isInstanceOf(InvalidMetadataException.class)
                    .hasMessageStartingWith("Invalid " + header.substring(0, header.indexOf(':')) + " ")
                    .satisfies(e -> assertThat(((WheelwrightException) e).kind())
                            .isEqualTo(WheelwrightException.Kind.INVALID_INPUT));
            Files.delete(bad);
        }
        assertThat(catalog.projects()).isEmpty();
        assertThat(blobs.size()).isZero();
    }

    private UploadService.Result upload(Path file) throws IOException {
        return service().upload(UPLOADER, Map.of(), receive(file));
    }

    private ReceivedFile receive(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return service().receive(file.getFileName().toString(), in);
        }
    }

    /** A wheel of Metadata-Version 2.3 with {@code extraHeaders}. */
    private Path wheel(String filename, String distInfo, String name, String extraHeaders) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("w" + System.nanoTime()));
        return Wheels.wheel(
                sub, filename, distInfo, "acme_core", "1.0", Wheels.metadata("2.3", name, "1.0", extraHeaders));
    }

    private Path zip(String filename, Map<String, String> entries) throws IOException {
        Path file =
                Files.createDirectories(dir.resolve("z" + System.nanoTime())).resolve(filename);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }

    private Path sdist(
            String filename,
            String top,
            String metadataVersion,
            String name,
            String version,
            String headers,
            Map<String, String> files)
            throws IOException {
        Path file =
                Files.createDirectories(dir.resolve("s" + System.nanoTime())).resolve(filename);
        try (TarWriter tar = TarWriter.gzipFile(file)) {
            tar.file(
                    top + "/PKG-INFO",
                    Wheels.metadata(metadataVersion, name, version, headers).getBytes(StandardCharsets.UTF_8));
            tar.file(top + "/pyproject.toml", "[project]\n".getBytes(StandardCharsets.UTF_8));
            files.forEach((path, text) -> tar.file(top + "/" + path, text.getBytes(StandardCharsets.UTF_8)));
        }
        return file;
    }
}

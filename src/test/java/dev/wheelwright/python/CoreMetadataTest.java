package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CoreMetadataTest {
    private static final String HOLYGRAIL = """
            Metadata-Version: 2.4
            Name: holygrail
            Version: 1.0.0rc1
            Summary: Find the grail
            Author-email: Arthur <arthur@example.com>
            License-Expression: MIT OR Apache-2.0
            License-File: LICENSE
            Classifier: Programming Language :: Python :: 3
            Requires-Python: >=3.9
            Requires-Dist: requests>=2.31
            Requires-Dist: rich; extra == "cli"
            Provides-Extra: cli
            Project-URL: Source, https://git.example.com/holygrail
            Description-Content-Type: text/markdown

            # holygrail
            Long description in the body...
            """;

    @Test
    void parses_a_pep_621_wheel_metadata_file() {
        CoreMetadata metadata = parse(HOLYGRAIL);

        assertThat(metadata.metadataVersion()).isEqualTo("2.4");
        assertThat(metadata.name()).isEqualTo("holygrail");
        assertThat(metadata.version()).isEqualTo("1.0.0rc1");
        assertThat(metadata.summary()).contains("Find the grail");
        assertThat(metadata.requiresPython()).contains(">=3.9");
        assertThat(metadata.all("Requires-Dist")).containsExactly("requests>=2.31", "rich; extra == \"cli\"");
        assertThat(metadata.all("requires-dist")).isEqualTo(metadata.all("REQUIRES-DIST"));
        assertThat(metadata.first("project-url")).contains("Source, https://git.example.com/holygrail");
        assertThat(metadata.description()).contains("# holygrail\nLong description in the body...\n");
        assertThat(metadata.fields().keySet()).startsWith("Metadata-Version", "Name", "Version", "Summary");
        assertThat(metadata.projectName().normalized()).isEqualTo("holygrail");
        assertThat(metadata.parsedVersion().isPrerelease()).isTrue();
        assertThat(metadata.all("Keywords")).isEmpty();
        assertThat(metadata.first("Keywords")).isEmpty();
    }

    @Test
    void folds_continuation_lines_into_the_previous_value() {
        CoreMetadata metadata = parse("""
                Metadata-Version: 2.1
                Name: foo
                Version: 1.0
                License: Line one
                        line two
                \tline three
                Summary: short
                """);

        assertThat(metadata.first("License")).contains("Line one\n        line two\n\tline three");
        assertThat(metadata.summary()).contains("short");
        assertThat(metadata.description()).isEmpty();
    }

    @Test
    void reads_a_multi_line_description_header_in_both_setuptools_escapes() {
        CoreMetadata pipe = parse("Metadata-Version: 1.1\nName: old\nVersion: 0.1\n"
                + "Description: first\n       |second\n       |\n       |  indented\nPlatform: UNKNOWN\n");
        CoreMetadata spaces = parse("Metadata-Version: 2.1\nName: old\nVersion: 0.1\n"
                + "Description: first\n        second\n        \n          indented\n");

        assertThat(pipe.description()).contains("first\nsecond\n\n  indented");
        assertThat(spaces.description()).contains("first\nsecond\n\n  indented");
        assertThat(pipe.first("Platform")).contains("UNKNOWN");
    }

    @Test
    void prefers_the_description_header_over_the_body() {
        CoreMetadata metadata = parse("Metadata-Version: 2.1\nName: a\nVersion: 1\nDescription: header\n\nbody\n");

        assertThat(metadata.description()).contains("header");
    }

    @Test
    void handles_crlf_line_endings_and_utf8() {
        CoreMetadata metadata = parse(
                "Metadata-Version: 2.1\r\nName: caf\r\nVersion: 1.0\r\n" + "Author: Zoë Ünïcode\r\n\r\nBody ☕\r\n");

        assertThat(metadata.first("author")).contains("Zoë Ünïcode");
        assertThat(metadata.description()).contains("Body ☕\n");
    }

    @ParameterizedTest(name = "Metadata-Version {0} (known: {1})")
    @CsvSource(textBlock = """
            1.0, true
            1.1, true
            1.2, true
            2.1, true
            2.2, true
            2.3, true
            2.4, true
            2.5, true
            2.6, true
            2.7, false
            3.0, false
            """)
    void accepts_every_metadata_version_and_tolerates_newer_ones(String metadataVersion, boolean known) {
        CoreMetadata metadata = parse("Metadata-Version: " + metadataVersion
                + "\nName: foo\nVersion: 1.0\nImport-Name: foo\nSome-Future-Field: x\n");

        assertThat(metadata.metadataVersion()).isEqualTo(metadataVersion);
        assertThat(metadata.isKnownMetadataVersion()).isEqualTo(known);
        assertThat(metadata.first("some-future-field")).contains("x");
        assertThat(metadata.fields()).containsKey("Import-Name");
    }

    @ParameterizedTest(name = "{1}: \"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            # metadata (\\n escaped)                                | message
            'Name: foo\\nVersion: 1.0\\n'                            | metadata has no Metadata-Version field
            'Metadata-Version: 2.1\\nVersion: 1.0\\n'                | metadata has no Name field
            'Metadata-Version: 2.1\\nName: foo\\n'                   | metadata has no Version field
            'Metadata-Version: 2.1\\nName: foo\\nName: bar\\nVersion: 1\\n' | metadata has more than one Name field
            'Metadata-Version: 2.1\\nName:\\nVersion: 1\\n'          | metadata has an empty Name field
            'Metadata-Version: two\\nName: foo\\nVersion: 1\\n'      | metadata has an invalid Metadata-Version "two"
            'Metadata-Version: 2.1\\n\\nName: foo\\nVersion: 1\\n'   | metadata has no Name field
            ''                                                     | metadata has no Metadata-Version field
            """)
    void rejects_metadata_without_its_required_fields(String metadata, String message) {
        assertThatThrownBy(() -> parse(SpecVectors.unescape(metadata)))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not a name!", "-foo"})
    void reports_an_invalid_name_only_when_asked(String name) {
        CoreMetadata metadata = parse("Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0-SNAPSHOT\n");

        assertThatThrownBy(metadata::projectName).isInstanceOf(InvalidProjectNameException.class);
        assertThatThrownBy(metadata::parsedVersion).isInstanceOf(InvalidVersionException.class);
    }

    @Test
    void replaces_malformed_utf8_instead_of_failing() {
        byte[] bytes = "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\nAuthor: X\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 2] = (byte) 0xff;

        assertThat(CoreMetadata.parse(bytes).first("Author")).contains("\uFFFD");
    }

    private static CoreMetadata parse(String text) {
        return CoreMetadata.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** #14: the metadata field rules, one row per value of spec-vectors/metadata-fields.tsv. */
class MetadataRulesTest {
    static Stream<Arguments> vectors() {
        return SpecVectors.arguments("metadata-fields.tsv", 4);
    }

    @ParameterizedTest(name = "{0} {2} ({1}) -> {3}")
    @MethodSource("vectors")
    void checks_each_field_as_the_spec_vectors_say(String field, String metadataVersion, String value, String result) {
        CoreMetadata metadata = metadata(metadataVersion, field.equals("Metadata-Version") ? "" : field, value);

        if (result.equals("OK")) {
            assertThatCode(() -> MetadataRules.check(metadata)).doesNotThrowAnyException();
        } else {
            InvalidMetadataException e =
                    catchThrowableOfType(InvalidMetadataException.class, () -> MetadataRules.check(metadata));
            assertThat(e).as("%s %s should be refused", field, value).isNotNull();
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith("Invalid " + field + " ").endsWith(".");
            if (value.length() <= 100 && value.matches("[^\"\\\\\\n]*")) {
                assertThat(e.getMessage()).contains("\"" + value + "\"");
            }
        }
    }

    @Test
    void names_the_issue_examples_in_one_sentence() {
        // #14: the two values the issue found stored and served
        InvalidMetadataException dist = catchThrowableOfType(
                InvalidMetadataException.class,
                () -> MetadataRules.check(metadata("2.1", "Requires-Dist", "requests (>=2.0;;; bad")));
        InvalidMetadataException summary = catchThrowableOfType(
                InvalidMetadataException.class,
                () -> MetadataRules.check(metadata("2.1", "Summary", "s".repeat(5000))));

        assertThat(dist.getMessage())
                .isEqualTo("Invalid Requires-Dist \"requests (>=2.0;;; bad\": not a PEP 508 dependency specifier,"
                        + " expected ')' to close the version specifier opened at position 9 at position 15.");
        assertThat(summary.getMessage()).contains("Invalid Summary").endsWith("it is longer than 512 characters.");
    }

    @Test
    void accepts_two_spellings_of_one_extra_as_real_wheels_ship_them() {
        // #14: twisted 26.4.0 (Metadata-Version 2.4, on PyPI) declares both all-non-platform and all_non_platform
        CoreMetadata twice = CoreMetadata.parse(
                "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nProvides-Extra: all-non-platform\nProvides-Extra: all_non_platform\n"
                        .getBytes(StandardCharsets.UTF_8));

        assertThatCode(() -> MetadataRules.check(twice)).doesNotThrowAnyException();
    }

    @Test
    void finds_license_files_of_metadata_2_4_in_the_archive_only() {
        CoreMetadata v24 = metadata("2.4", "License-File", "LICENSES/MIT.txt");
        CoreMetadata v21 = metadata("2.1", "License-File", "LICENSE");

        assertThatCode(() -> MetadataRules.checkLicenseFiles(v24, Set.of("LICENSES/MIT.txt"), "x"))
                .doesNotThrowAnyException();
        assertThat(catchThrowableOfType(
                                InvalidMetadataException.class,
                                () -> MetadataRules.checkLicenseFiles(
                                        v24, Set.of("LICENSE"), "demo-1.0.tar.gz at demo-1.0/"))
                        .getMessage())
                .isEqualTo("Invalid License-File \"LICENSES/MIT.txt\": no such file in demo-1.0.tar.gz at demo-1.0/.");
        assertThatCode(() -> MetadataRules.checkLicenseFiles(v21, Set.of(), "x"))
                .doesNotThrowAnyException();
    }

    @Test
    void refuses_license_file_paths_that_leave_the_archive_root() {
        for (String path : new String[] {"../LICENSE", "/etc/passwd", "a\\b", "C:/x", ""}) {
            CoreMetadata m = metadata("2.4", "License-File", path);

            assertThat(catchThrowableOfType(
                                    InvalidMetadataException.class,
                                    () -> MetadataRules.checkLicenseFiles(m, Set.of(path), "x"))
                            .field())
                    .as(path)
                    .isEqualTo("License-File");
        }
    }

    /** Minimal metadata with one extra header; {@code field} empty means the version itself is the value. */
    static CoreMetadata metadata(String metadataVersion, String field, String value) {
        String text = "Metadata-Version: " + metadataVersion + "\nName: demo\nVersion: 1.0\n"
                + (field.isEmpty() ? "" : field + ": " + value + "\n") + "\nBody.\n";
        return CoreMetadata.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}

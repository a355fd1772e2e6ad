package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * #14: one file per distribution, whatever the spelling (identity = normalized name, PEP 440 version, build tag,
 * expanded tag set or sdist format), and the spelling new uploads must use (PEP 427 as revised, PEP 625).
 */
class DistributionIdentityTest {
    static Stream<Arguments> wheels() {
        return SpecVectors.rows("wheel-filenames.tsv", 6).stream()
                .filter(row -> row[1].equals("OK"))
                .map(row -> Arguments.of(row[0], row[2], row[3], row[4]));
    }

    static Stream<Arguments> sdists() {
        return SpecVectors.rows("sdist-filenames.tsv", 4).stream()
                .filter(row -> row[1].equals("OK"))
                .map(row -> Arguments.of(row[0], row[2], row[3]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wheels")
    void a_wheel_is_the_same_distribution_as_its_canonical_spelling(
            String filename, String name, String version, String build) {
        String[] fields = filename.substring(0, filename.length() - 4).split("-");
        int t = fields.length - 3;
        String canonical = name.replace('-', '_') + "-" + Version.parse(version).normalized()
                + (build.isEmpty() ? "" : "-" + build) + "-" + fields[t] + "-" + fields[t + 1] + "-" + fields[t + 2]
                + ".whl";
        WheelFilename written = WheelFilename.parse(filename);
        WheelFilename expected = WheelFilename.parse(canonical);

        assertThat(written.sameDistributionAs(expected)).as(canonical).isTrue();
        assertThat(expected.nonCanonicalSpelling()).isEmpty();
        assertThat(written.nonCanonicalSpelling().isPresent()).isEqualTo(!fields[0].equals(name.replace('-', '_')));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdists")
    void an_sdist_is_the_same_distribution_as_its_pep_625_spelling(String filename, String name, String version) {
        String ext = filename.endsWith(".zip") ? ".zip" : ".tar.gz";
        String canonical = name.replace('-', '_') + "-" + Version.parse(version).normalized() + ext;
        SdistFilename written = SdistFilename.parse(filename);

        assertThat(written.sameDistributionAs(SdistFilename.parse(canonical))).isTrue();
        assertThat(SdistFilename.parse(canonical).nonCanonicalSpelling()).isEmpty();
        assertThat(written.nonCanonicalSpelling().isPresent()).isEqualTo(!filename.equals(canonical));
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # first                                  | second                                 | same
            ACME_Core-1.0-py3-none-any.whl           | acme_core-1.0-py3-none-any.whl         | true
            acme_core-1.0-py3-none-any.whl           | acme_core-1.0.0-py3-none-any.whl       | true
            acme_core-1.0-py2.py3-none-any.whl       | acme_core-1.0-py3.py2-none-any.whl     | true
            acme_core-1.0-1-py3-none-any.whl         | acme_core-1.0-01-py3-none-any.whl      | true
            acme_core-1.0-1-py3-none-any.whl         | acme_core-1.0-py3-none-any.whl         | false
            acme_core-1.0-1a-py3-none-any.whl        | acme_core-1.0-1b-py3-none-any.whl      | false
            acme_core-1.0-py3-none-any.whl           | acme_core-1.0-py2.py3-none-any.whl     | false
            acme_core-1.0-py3-none-any.whl           | acme_core-1.0.post1-py3-none-any.whl   | false
            acme_core-1.0-py3-none-any.whl           | acme_core-1.0.tar.gz                   | false
            acme_core-1.0.tar.gz                     | ACME-Core-1.0.0.tar.gz                 | true
            acme_core-1.0.tar.gz                     | acme_core-1.0.zip                      | false
            """)
    void compares_distribution_identities(String first, String second, boolean same) {
        DistributionFilename a = DistributionFilename.parse(first);
        DistributionFilename b = second.startsWith("ACME-Core")
                ? SdistFilename.parse(second, ProjectName.parse("acme-core"))
                : DistributionFilename.parse(second);

        assertThat(a.sameDistributionAs(b)).isEqualTo(same);
        assertThat(b.sameDistributionAs(a)).isEqualTo(same);
    }
}

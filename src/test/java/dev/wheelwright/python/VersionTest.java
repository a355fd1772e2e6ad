package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatComparable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class VersionTest {

    static Stream<Arguments> versionsTsv() {
        return SpecVectors.rows("versions.tsv", 8).stream().map(r -> Arguments.of(SpecVectors.visible(r[0]), r));
    }

    @ParameterizedTest(name = "versions.tsv: \"{0}\"")
    @MethodSource("versionsTsv")
    void agrees_with_every_row_of_versions_tsv(String shown, String[] row) {
        String input = row[0];
        if (row[1].equals("INVALID")) {
            assertThatThrownBy(() -> Version.parse(input))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("invalid version ");
            return;
        }

        Version v = Version.parse(input);

        assertThat(v.normalized()).isEqualTo(row[1]);
        assertThat(v.toString()).isEqualTo(row[1]);
        assertThat(v.canonical()).isEqualTo(row[2]);
        assertThat(v.isPrerelease()).as("is_prerelease").isEqualTo(Boolean.parseBoolean(row[3]));
        assertThat(v.isPostrelease()).as("is_postrelease").isEqualTo(Boolean.parseBoolean(row[4]));
        assertThat(v.isDevrelease()).as("is_devrelease").isEqualTo(Boolean.parseBoolean(row[5]));
        assertThat(v.publicVersion()).isEqualTo(row[6]);
        assertThat(v.local().orElse("")).isEqualTo(row[7]);
        assertThat(Version.parse(v.normalized())).isEqualTo(v);
    }

    static Stream<Arguments> versionOrderTsv() {
        return SpecVectors.arguments("version-order.tsv", 3);
    }

    @ParameterizedTest(name = "version-order.tsv: {0} {1} {2}")
    @MethodSource("versionOrderTsv")
    void agrees_with_every_row_of_version_order_tsv(String a, String op, String b) {
        Version left = Version.parse(a);
        Version right = Version.parse(b);

        switch (op) {
            case "<" -> assertStrictlyAscending(left, right);
            case ">" -> assertStrictlyAscending(right, left);
            case "==" -> {
                assertThatComparable(left).isEqualByComparingTo(right);
                assertThatComparable(right).isEqualByComparingTo(left);
                assertThat(left).isEqualTo(right).hasSameHashCodeAs(right);
                assertThat(left.canonical()).isEqualTo(right.canonical());
            }
            default -> throw new IllegalArgumentException("unknown operator " + op);
        }
    }

    @Test
    void orders_pep_440s_own_example() {
        assertAscending("1.0.dev1", "1.0a1", "1.0a2.dev1", "1.0a2", "1.0b1", "1.0rc1", "1.0", "1.0.post1", "1.1.dev1");
    }

    @Test
    void orders_the_full_spec_example() {
        assertAscending(
                "1.dev0",
                "1.0.dev456",
                "1.0a1",
                "1.0a2.dev456",
                "1.0a12.dev456",
                "1.0a12",
                "1.0b1.dev456",
                "1.0b2",
                "1.0b2.post345.dev456",
                "1.0b2.post345",
                "1.0rc1.dev456",
                "1.0rc1",
                "1.0",
                "1.0+abc.5",
                "1.0+abc.7",
                "1.0+5",
                "1.0.post456.dev34",
                "1.0.post456",
                "1.0.15",
                "1.1.dev1");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # input                | normalized
            1.1RC1                 | 1.1rc1
            1.0-alpha-1            | 1.0a1
            1.2.post-2             | 1.2.post2
            1.0+Ubuntu_1           | 1.0+ubuntu.1
            '\u00a01.0\u2003'      | 1.0
            99999999999999999999.1 | 99999999999999999999.1
            """)
    void normalizes_pep_440_spellings(String input, String normalized) {
        assertThat(Version.parse(input).normalized()).isEqualTo(normalized);
    }

    @Test
    void exposes_the_segments() {
        Version v = Version.parse("2!1.02.3rc4.post5.dev6+Abc.07");

        assertThat(v.epoch()).isEqualTo(2);
        assertThat(v.release()).containsExactly(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3));
        assertThat(v.preLabel()).contains("rc");
        assertThat(v.preNumber()).contains(BigInteger.valueOf(4));
        assertThat(v.post()).contains(BigInteger.valueOf(5));
        assertThat(v.dev()).contains(BigInteger.valueOf(6));
        assertThat(v.local()).contains("abc.7");
        assertThat(v.withoutLocal().normalized()).isEqualTo("2!1.2.3rc4.post5.dev6");
        assertThat(v.baseVersion()).isEqualTo("2!1.2.3");
    }

    @Test
    void sorts_a_list() {
        List<Version> sorted = Stream.of("1.10", "1.9", "1.0+local", "1.0", "1!0.1")
                .map(Version::parse)
                .sorted()
                .toList();

        assertThat(sorted).extracting(Version::normalized).containsExactly("1.0", "1.0+local", "1.9", "1.10", "1!0.1");
    }

    @Test
    void rejects_absurdly_long_input_quickly() {
        assertThatThrownBy(() -> Version.parse("1." + "0".repeat(5000))).isInstanceOf(InvalidVersionException.class);
    }

    private static void assertAscending(String... versions) {
        for (int i = 0; i < versions.length; i++) {
            for (int j = i + 1; j < versions.length; j++) {
                assertStrictlyAscending(Version.parse(versions[i]), Version.parse(versions[j]));
            }
        }
    }

    private static void assertStrictlyAscending(Version lower, Version higher) {
        assertThatComparable(lower).isLessThan(higher);
        assertThatComparable(higher).isGreaterThan(lower);
        assertThat(lower).isNotEqualTo(higher);
    }
}

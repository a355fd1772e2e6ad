package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.errors.WheelwrightException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProjectNameTest {

    static Stream<Arguments> namesTsv() {
        return SpecVectors.rows("names.tsv", 4).stream()
                .map(r -> Arguments.of(SpecVectors.visible(r[0]), r[0], r[1], r[2], r[3]));
    }

    @ParameterizedTest(name = "names.tsv: \"{0}\"")
    @MethodSource("namesTsv")
    void agrees_with_every_row_of_names_tsv(
            String shown, String input, String valid, String normalized, String escaped) {
        assertThat(ProjectName.normalize(input)).isEqualTo(normalized);

        if (Boolean.parseBoolean(valid)) {
            ProjectName name = ProjectName.parse(input);
            assertThat(name.original()).isEqualTo(input);
            assertThat(name.normalized()).isEqualTo(normalized);
            assertThat(name.filenameEscaped()).isEqualTo(escaped);
            assertThat(ProjectName.isNormalized(name.normalized())).isTrue();
        } else {
            assertThatThrownBy(() -> ProjectName.parse(input))
                    .isInstanceOf(InvalidProjectNameException.class)
                    .hasMessageStartingWith("invalid project name ");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # as written      | PEP 503 normalized
            Django            | django
            zope.interface    | zope-interface
            Foo__Bar-.baz     | foo-bar-baz
            """)
    void normalizes_per_pep_503(String written, String normalized) {
        assertThat(ProjectName.parse(written).normalized()).isEqualTo(normalized);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "-leading", "trailing.", "has space", "../etc", "foo\n", "a\u0000b", "föö", "ﬀ"})
    void rejects_names_pep_508_forbids(String name) {
        assertThatThrownBy(() -> ProjectName.parse(name))
                .isInstanceOf(InvalidProjectNameException.class)
                .satisfies(e -> assertThat(((WheelwrightException) e).kind())
                        .isEqualTo(WheelwrightException.Kind.INVALID_INPUT))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("[\\x00-\\x1f]"));
    }

    @Test
    void rejects_a_name_longer_than_200_characters_and_truncates_the_echo() {
        String name = "a".repeat(201);

        assertThatThrownBy(() -> ProjectName.parse(name))
                .isInstanceOf(InvalidProjectNameException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        assertThat(ProjectName.parse("a".repeat(200)).normalized()).hasSize(200);
    }

    @Test
    void equal_names_compare_on_the_normalized_form() {
        assertThat(ProjectName.parse("Friendly.Bard")).isEqualTo(ProjectName.parse("friendly_bard"));
        assertThat(ProjectName.parse("Friendly.Bard")).hasSameHashCodeAs(ProjectName.parse("FRIENDLY-BARD"));
        assertThat(ProjectName.parse("foo")).isNotEqualTo(ProjectName.parse("foo1"));
    }

    @ParameterizedTest(name = "\"{0}\" normalized: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            foo-bar | true
            foo     | true
            Foo     | false
            foo_bar | false
            foo--bar| false
            -foo    | false
            """)
    void recognises_normalized_names(String name, boolean normalized) {
        assertThat(ProjectName.isNormalized(name)).isEqualTo(normalized);
    }

    /**
     * The hand-written checks agree with the specification's patterns on every string of up to 5 characters over an
     * alphabet of each kind of character (letters of both cases, a digit, each separator, one character never allowed).
     */
    @Test
    void the_checks_agree_with_the_patterns_on_every_short_string() {
        Pattern valid = Pattern.compile("[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]");
        Pattern normalized = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
        Pattern separators = Pattern.compile("[-_.]+");
        char[] alphabet = {'a', 'Z', '7', '.', '_', '-', '!'};
        List<String> strings = new ArrayList<>(List.of(""));
        for (int length = 1, from = 0; length <= 5; length++) {
            int to = strings.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet) {
                    strings.add(strings.get(i) + c);
                }
            }
            from = to;
        }
        for (String s : strings) {
            assertThat(ProjectName.isNormalized(s))
                    .as("isNormalized(%s)", s)
                    .isEqualTo(normalized.matcher(s).matches());
            boolean parses;
            try {
                ProjectName name = ProjectName.parse(s);
                parses = true;
                assertThat(name.normalized())
                        .as("normalized(%s)", s)
                        .isEqualTo(separators.matcher(s).replaceAll("-").toLowerCase(Locale.ROOT));
            } catch (WheelwrightException e) {
                parses = false;
            }
            assertThat(parses).as("parses(%s)", s).isEqualTo(valid.matcher(s).matches());
        }
        assertThat(strings).hasSize(1 + 7 + 49 + 343 + 2401 + 16807);
    }
}

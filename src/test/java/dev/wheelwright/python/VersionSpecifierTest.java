package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionSpecifierTest {

    static Stream<Arguments> specifiersTsv() {
        return SpecVectors.arguments("specifiers.tsv", 3);
    }

    @ParameterizedTest(name = "specifiers.tsv: {0} contains {1} = {2}")
    @MethodSource("specifiersTsv")
    void agrees_with_every_row_of_specifiers_tsv(String specifier, String candidate, String matches) {
        VersionSpecifier set = VersionSpecifier.parse(specifier);

        assertThat(set.contains(Version.parse(candidate), true)).isEqualTo(Boolean.parseBoolean(matches));
    }

    @ParameterizedTest(name = "{0} contains {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # specifier (no commas here)  | candidate          | matches (pre-releases allowed)
            >=3.8                         | 3.8.0              | true
            >=3.8                         | 3.7.99             | false
            !=3.9.*                       | 3.9.1              | false
            !=3.9.*                       | 3.10               | true
            ==1.*                         | 1.99.post3         | true
            ==1.*                         | 2.0                | false
            ==1.0.*                       | 1                  | true
            ==1!1.*                       | 1.5                | false
            ~=1.4.5a4                     | 1.4.5              | true
            ~=1.4.5a4                     | 1.5.0              | false
            ~=2.2.post3                   | 2.2.post3          | true
            ~=2.2.post3                   | 2.2                | false
            >1.7                          | 1.7+local          | false
            >1.7.post2                    | 1.7.post2+local    | false
            >1.7.post2                    | 1.7.post3          | true
            <1.7                          | 1.6+local          | true
            <=1.7                         | 1.7+local          | true
            ==1.0+local                   | 1.0+other          | false
            ==1.0+local                   | 1.0                | false
            <2.0                          | 2.0.dev1           | false
            <2.0                          | 1.9rc1             | true
            ===foobar                     | 1.0                | false
            ===1.0                        | 1.0+local          | false
            # packaging 26 range semantics (older packaging answered false to these three)
            >1.0a1                        | 1.0.post0          | true
            <1.0.post0                    | 1.0.dev0           | true
            >1.0.dev0                     | 1.0.dev0+local     | false
            >1.0.dev0                     | 1.0+local          | true
            """)
    void applies_pep_440_operator_rules(String specifier, String candidate, boolean matches) {
        assertThat(VersionSpecifier.parse(specifier).contains(Version.parse(candidate), true))
                .isEqualTo(matches);
    }

    @Test
    void excludes_prereleases_when_told_to() {
        VersionSpecifier set = VersionSpecifier.parse(">=1.0");

        assertThat(set.contains(Version.parse("1.1rc1"), true)).isTrue();
        assertThat(set.contains(Version.parse("1.1rc1"), false)).isFalse();
        assertThat(set.contains(Version.parse("1.1"), false)).isTrue();
        assertThat(VersionSpecifier.parse(">=1.0rc1").impliesPrereleases()).isTrue();
        assertThat(set.impliesPrereleases()).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            '>= 3.8, !=3.9.*'       | !=3.9.*,>=3.8
            '>=1.0,'                | >=1.0
            ~=V2.2.0                | ~=2.2.0
            ==1.0RC1                | ==1.0rc1
            '  '                    | ''
            ===Foo                  | ===Foo
            """)
    void renders_a_canonical_string(String specifier, String canonical) {
        assertThat(VersionSpecifier.parse(specifier).toString()).isEqualTo(canonical);
    }

    @Test
    void the_empty_set_matches_everything() {
        assertThat(VersionSpecifier.parse("").contains(Version.parse("0.0.1a1"), true))
                .isTrue();
        assertThat(VersionSpecifier.parse("").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "~=1",
                "==1.0.*.*",
                "==1.0.dev1.*",
                "==1.0+local.*",
                ">=1.0+local",
                "<1.*",
                "=>1.0",
                "1.0",
                ">=",
                "==",
                ">=1.0;python_version<'3'",
                "~=1.0.*",
                ">=1.0 <2.0",
                "=1.0"
            })
    void rejects_invalid_specifiers(String specifier) {
        assertThatThrownBy(() -> VersionSpecifier.parse(specifier))
                .isInstanceOf(InvalidSpecifierException.class)
                .hasMessageStartingWith("invalid version specifier ");
    }
}

package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.SpecVectors;
import dev.wheelwright.python.Version;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TagVersionsTest {
    private static final ProjectName UNRELATED = ProjectName.parse("unrelated-project");

    static Stream<Arguments> gitTagsTsv() {
        return SpecVectors.arguments("git-tags.tsv", 2);
    }

    @ParameterizedTest(name = "git-tags.tsv: {0} -> {1}")
    @MethodSource("gitTagsTsv")
    void agrees_with_every_row_of_git_tags_tsv(String tag, String version) {
        Optional<Version> parsed = TagVersions.fromTag(tag, UNRELATED);

        if (version.equals("NONE")) {
            assertThat(parsed).isEmpty();
        } else {
            assertThat(parsed).map(Version::normalized).contains(version);
        }
    }

    @ParameterizedTest(name = "{0} of {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # tag                | project    | version (NONE = no version)
            mypkg/v1.2.3         | mypkg      | 1.2.3
            mypkg/1.2.3          | mypkg      | 1.2.3
            My_Pkg/V2.0rc1       | my-pkg     | 2.0rc1
            otherpkg/v9.0.0      | mypkg      | NONE
            mypkg/release-1.0    | mypkg      | NONE
            mypkg/v1.0-SNAPSHOT  | mypkg      | NONE
            a/b/v1.0             | a          | NONE
            mypkg/               | mypkg      | NONE
            """)
    void maps_monorepo_tags_of_the_project_only(String tag, String project, String version) {
        Optional<Version> parsed = TagVersions.fromTag(tag, ProjectName.parse(project));

        assertThat(parsed.map(Version::normalized).orElse("NONE")).isEqualTo(version);
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # tag                    | pattern                                         | version
            mypkg/v1.2.3             | ^mypkg/(?<version>[vV]?\\d+(?:\\.\\d+)*)$         | 1.2.3
            otherpkg/v1.2.3          | ^mypkg/(?<version>[vV]?\\d+(?:\\.\\d+)*)$         | NONE
            rel_1_2                  | rel_(\\d+_\\d+)                                  | NONE
            build-7.1+abc            | build-(?<version>[0-9.]+)                        | 7.1
            build-x                  | build-(?<version>[0-9.]+)?                       | NONE
            build-7.1+abc            | build-(?<version>[0-9.]+)(?:\\+.*)?              | 7.1+abc
            """)
    void maps_tags_with_a_custom_pattern(String tag, String pattern, String version) {
        Optional<Version> parsed = TagVersions.fromTag(tag, Pattern.compile(pattern));

        assertThat(parsed.map(Version::normalized).orElse("NONE")).isEqualTo(version);
    }
}

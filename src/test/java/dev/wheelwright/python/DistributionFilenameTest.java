package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.errors.WheelwrightException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DistributionFilenameTest {

    static Stream<Arguments> wheelFilenamesTsv() {
        return SpecVectors.arguments("wheel-filenames.tsv", 6);
    }

    @ParameterizedTest(name = "wheel-filenames.tsv: {0} {1}")
    @MethodSource("wheelFilenamesTsv")
    void agrees_with_every_row_of_wheel_filenames_tsv(
            String filename, String result, String name, String version, String build, String tags) {
        if (result.equals("INVALID")) {
            assertThatThrownBy(() -> WheelFilename.parse(filename))
                    .isInstanceOf(InvalidDistributionException.class)
                    .hasMessageContaining(filename);
            assertThatThrownBy(() -> DistributionFilename.parse(filename))
                    .isInstanceOf(InvalidDistributionException.class);
            return;
        }

        WheelFilename wheel = WheelFilename.parse(filename);

        assertThat(wheel.filename()).isEqualTo(filename);
        assertThat(wheel.name().normalized()).isEqualTo(name);
        assertThat(wheel.version().normalized()).isEqualTo(version);
        assertThat(wheel.buildTag().orElse("")).isEqualTo(build);
        assertThat(wheel.tags()).isEqualTo(Arrays.asList(tags.split(",")));
        assertThat(wheel.packagetype()).isEqualTo("bdist_wheel");
        assertThat(DistributionFilename.parse(filename)).isEqualTo(wheel);
    }

    static Stream<Arguments> sdistFilenamesTsv() {
        return SpecVectors.arguments("sdist-filenames.tsv", 4);
    }

    @ParameterizedTest(name = "sdist-filenames.tsv: {0} {1}")
    @MethodSource("sdistFilenamesTsv")
    void agrees_with_every_row_of_sdist_filenames_tsv(String filename, String result, String name, String version) {
        if (result.equals("INVALID")) {
            assertThatThrownBy(() -> SdistFilename.parse(filename))
                    .isInstanceOf(InvalidDistributionException.class)
                    .hasMessageContaining(filename);
            assertThatThrownBy(() -> DistributionFilename.parse(filename))
                    .isInstanceOf(InvalidDistributionException.class);
            return;
        }

        SdistFilename sdist = SdistFilename.parse(filename);

        assertThat(sdist.name().normalized()).isEqualTo(name);
        assertThat(sdist.version().normalized()).isEqualTo(version);
        assertThat(sdist.packagetype()).isEqualTo("sdist");
        assertThat(DistributionFilename.parse(filename)).isEqualTo(sdist);
    }

    @ParameterizedTest(name = "{0} of {1} -> {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # filename              | known project  | name part     | version
            foo-1.0-1.tar.gz        | foo            | foo           | 1.0.post1
            my-pkg-1.0.tar.gz       | my_pkg         | my-pkg        | 1.0
            zope.interface-5.0.zip  | zope-interface | zope.interface| 5.0
            foo-bar-2.0.tar.gz      | foo-bar        | foo-bar       | 2.0
            Foo-1.0.tar.gz          | foo            | Foo           | 1.0
            """)
    void splits_legacy_sdist_names_at_the_known_project(String filename, String project, String name, String version) {
        SdistFilename sdist = SdistFilename.parse(filename, ProjectName.parse(project));

        assertThat(sdist.name().original()).isEqualTo(name);
        assertThat(sdist.version().normalized()).isEqualTo(version);
    }

    @Test
    void rejects_a_legacy_sdist_of_another_project() {
        assertThatThrownBy(() -> SdistFilename.parse("foobar-1.0.tar.gz", ProjectName.parse("foo")))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessageContaining("foobar-1.0.tar.gz");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(
            strings = {
                "../foo-1.0.tar.gz",
                "a/foo-1.0-py3-none-any.whl",
                "foo\\bar-1.0.tar.gz",
                "foo-1.0.tar.gz\u0000.whl",
                "foo-1.0\n.tar.gz",
                "foo- 1.0.tar.gz",
                "foo-1.0.egg",
                "foo-1.0.tar.bz2",
                "foo-1.0.exe",
                "",
                ".whl",
                "foo-1.0-py3..x-none-any.whl",
                "_foo-1.0-py3-none-any.whl"
            })
    void rejects_unsafe_or_unknown_filenames(String filename) {
        assertThatThrownBy(() -> DistributionFilename.parse(filename))
                .isInstanceOf(InvalidDistributionException.class)
                .satisfies(e -> assertThat(((WheelwrightException) e).kind())
                        .isEqualTo(WheelwrightException.Kind.INVALID_INPUT))
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith("invalid distribution filename \"")
                        .doesNotContainPattern("[\\x00-\\x1f]"));
    }

    @Test
    void rejects_filenames_longer_than_255_characters() {
        String filename = "a".repeat(250) + "-1.0.tar.gz";

        assertThatThrownBy(() -> DistributionFilename.parse(filename)).isInstanceOf(InvalidDistributionException.class);
    }

    @Test
    void exposes_the_build_number_and_dist_info_directory() {
        WheelFilename wheel = WheelFilename.parse("My.Pkg-1.0-12abc-py2.py3-none-any.whl");

        assertThat(wheel.buildNumber()).contains(BigInteger.valueOf(12));
        assertThat(wheel.distInfoDirectory()).isEqualTo("my_pkg-1.0.dist-info");
        assertThat(wheel.tags()).isEqualTo(List.of("py2-none-any", "py3-none-any"));
        assertThat(WheelFilename.parse("foo-1.0-py3-none-any.whl").buildNumber())
                .isEmpty();
    }
}

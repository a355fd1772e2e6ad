package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.python.Version;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** #9: a branch head's dev version, as setuptools-scm's default "guess-next-dev" scheme names it. */
class DevVersionsTest {
    private static final String COMMIT = "abc1234def5678900000000000000000000000000";

    @ParameterizedTest(name = "{0} + {1} commits -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # latest tag | commits since | dev version
            1.0.0        | 2             | 1.0.1.dev2+gabc1234
            1.2.3        | 1             | 1.2.4.dev1+gabc1234
            2.0          | 5             | 2.1.dev5+gabc1234
            3            | 1             | 4.dev1+gabc1234
            1.3.0rc1     | 4             | 1.3.0rc2.dev4+gabc1234
            1.0a1        | 1             | 1.0a2.dev1+gabc1234
            1.0.0.post1  | 3             | 1.0.1.dev3+gabc1234
            1!2.0.9      | 1             | 1!2.0.10.dev1+gabc1234
            """)
    void is_the_next_version_after_the_latest_tag_with_the_commits_since_it(String tag, int distance, String expected) {
        Version dev = DevVersions.next(Optional.of(Version.parse(tag)), distance, COMMIT);

        assertThat(dev.normalized()).isEqualTo(expected);
        assertThat(dev).isGreaterThan(Version.parse(tag));
        assertThat(dev.isPrerelease()).isTrue();
        assertThat(DevVersions.isBranchDev(dev)).isTrue();
    }

    @ParameterizedTest(name = "{0} commits, no tag")
    @ValueSource(ints = {1, 7})
    void is_zero_point_one_dev_without_a_tag(int distance) {
        assertThat(DevVersions.next(Optional.empty(), distance, COMMIT).normalized())
                .isEqualTo("0.1.dev" + distance + "+gabc1234");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1.0.0", "1.0.1.dev2", "1.0.0+local", "1.0.1.dev2+ubuntu1", "1.0.1rc1"})
    void tells_tag_versions_from_branch_dev_versions(String version) {
        assertThat(DevVersions.isBranchDev(Version.parse(version))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0, -1})
    void refuses_a_head_that_is_its_tag(int distance) {
        assertThatThrownBy(() -> DevVersions.next(Optional.of(Version.parse("1.0")), distance, COMMIT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

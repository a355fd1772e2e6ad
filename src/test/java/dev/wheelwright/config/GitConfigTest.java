package dev.wheelwright.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Validation of the {@code git.*} keys: every problem names its key. */
class GitConfigTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            git: {url-templates: ['https://git.example.com/acme.git']}            | git.url-templates[0]: must contain the placeholder {name}
            git: {projects: [{name: '-x', url: 'file:///r'}]}                     | git.projects[0].name: '-x' is not a valid project name
            git: {projects: [{name: a, url: 'file:///r'}, {name: A, url: 'file:///s'}]} | git.projects[1].name: project A is listed twice
            git: {projects: [{name: a, url: ''}]}                                 | git.projects[0].url: is required
            git: {projects: [{name: a, url: 'file:///r', subdirectory: '../up'}]} | git.projects[0].subdirectory: must be a relative path
            git: {projects: [{name: a, url: 'file:///r', subdirectory: '/abs'}]}  | git.projects[0].subdirectory: must be a relative path
            git: {projects: [{name: a, url: 'file:///r', tag-pattern: '(unclosed'}]} | git.projects[0].tag-pattern: not a valid regex
            git: {projects: [{name: a, url: 'file:///r', tag-pattern: '^a/v.+$'}]} | git.projects[0].tag-pattern: needs a named group version
            git: {github: {api-url: 'not a url', org: acme}}                      | git.github.api-url
            git: {github: {api-url: 'https://api.github.com', org: ''}}           | git.github.org: is required
            git: {listing-wait: -1s}                                              | git.listing-wait
            git: {projects: [{name: a, url: 'file:///r', dev-branch: '../x'}]}    | git.projects[0].dev-branch: '../x' is not a branch name
            git: {projects: [{name: a, url: 'file:///r', dev-branch: 'a b'}]}     | git.projects[0].dev-branch: 'a b' is not a branch name
            git: {projects: [{name: a, url: 'file:///r', dev-branch: 'x.lock'}]}  | git.projects[0].dev-branch: 'x.lock' is not a branch name
            git: {projects: [{name: a, url: 'file:///r', dev-keep: 2}]}           | git.projects[0].dev-keep: needs dev-branch
            git: {projects: [{name: a, url: 'file:///r', dev-branch: main, dev-keep: 0}]} | git.projects[0].dev-keep: must be between 1 and 1000
            git: {check-interval: -1s}                                            | git.check-interval
            git: {gitlab: {api-url: 'gitlab.example.com', group: acme}}           | git.gitlab.api-url
            git: {gitlab: {api-url: 'https://gitlab.example.com/api/v4'}}         | git.gitlab.group: is required
            git: {gitea: {api-url: 'ftp://gitea.example.com', org: acme}}         | git.gitea.api-url
            git: {gitea: {api-url: 'https://gitea.example.com/api/v1', org: ' '}} | git.gitea.org: is required
            """)
    void refuses_invalid_git_keys_naming_them(String yaml, String message) {
        assertThatThrownBy(() -> loader.load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void reads_gitlab_and_gitea_discovery() {
        WheelwrightConfig c = loader.load("""
                git:
                  gitlab: {api-url: 'https://gitlab.example.com/api/v4', group: acme/python, token-env: GL_TOKEN}
                  gitea: {api-url: 'https://gitea.example.com/api/v1', org: acme}
                """);

        assertThat(c.git().gitlab())
                .contains(new WheelwrightConfig.GitLab(
                        "https://gitlab.example.com/api/v4", "acme/python", java.util.Optional.of("GL_TOKEN")));
        assertThat(c.git().gitea())
                .contains(new WheelwrightConfig.Gitea(
                        "https://gitea.example.com/api/v1", "acme", java.util.Optional.empty()));
    }

    @Test
    void accepts_a_monorepo_entry_with_a_custom_pattern() {
        WheelwrightConfig c = loader.load("""
                git:
                  listing-wait: 5s
                  url-templates: ["https://git.example.com/acme/{name}.git"]
                  projects:
                    - { name: mono-alpha, url: "file:///srv/git/mono.git", subdirectory: libs/alpha,
                        tag-pattern: '^mono-alpha/v(?<version>.+)$' }
                """);

        assertThat(c.git().projects().get(0).subdirectory()).hasValue("libs/alpha");
        assertThat(c.git().listingWait()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void reads_a_dev_branch_and_how_many_dev_releases_to_keep() {
        WheelwrightConfig c = loader.load("""
                git:
                  projects:
                    - { name: a, url: "file:///srv/git/a.git", dev-branch: release/2.x, dev-keep: 5 }
                    - { name: b, url: "file:///srv/git/b.git" }
                """);

        assertThat(c.git().projects().get(0).devBranch()).hasValue("release/2.x");
        assertThat(c.git().projects().get(0).devKeep()).hasValue(5);
        assertThat(c.git().projects().get(1).devBranch()).isEmpty();
    }

    @Test
    void checks_the_remote_at_most_four_times_a_second_by_default_and_on_every_request_with_zero() {
        assertThat(loader.load("git: {}").git().checkInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(loader.load("git: {check-interval: 0s}").git().checkInterval())
                .isEqualTo(Duration.ZERO);
        assertThat(loader.load("git: {check-interval: 5s}").git().checkInterval())
                .isEqualTo(Duration.ofSeconds(5));
    }
}

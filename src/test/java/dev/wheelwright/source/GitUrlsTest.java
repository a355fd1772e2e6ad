package dev.wheelwright.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GitUrlsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://git.example.com/acme/demo.git       | git.example.com/acme/demo
            https://user:secret@Git.Example.com/acme/demo | git.example.com/acme/demo
            https://git.example.com:443/acme/demo/      | git.example.com/acme/demo
            ssh://git@git.example.com/acme/demo.git     | git.example.com/acme/demo
            git@git.example.com:acme/demo.git           | git.example.com/acme/demo
            file:///srv/git/demo.git                    | file:/srv/git/demo
            file:/srv/git/demo/                         | file:/srv/git/demo
            """)
    void one_repository_has_one_key_whatever_the_url_form(String url, String key) {
        assertThat(GitUrls.key(url)).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            https://x-access-token:ghp_secret@github.com/acme/a.git | https://github.com/acme/a.git
            https://github.com/acme/a.git                           | https://github.com/acme/a.git
            """)
    void redaction_drops_credentials(String url, String shown) {
        assertThat(GitUrls.redact(url)).isEqualTo(shown);
    }
}

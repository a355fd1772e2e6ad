package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** #5: links from package metadata are http(s) or nothing. */
class HtmlHrefTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            https://example.com/acme                  | https://example.com/acme
            HTTP://Example.com/a?b=1&c=2              | HTTP://Example.com/a?b=1&amp;c=2
            ` https://example.com/x `                 | https://example.com/x
            """)
    void keeps_http_and_https_links_escaped(String url, String href) {
        assertThat(Html.href(url)).hasValue(href);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "javascript:alert(1)",
                "JavaScript:alert(1)",
                " javascript:alert(1)",
                "java\tscript:alert(1)",
                "java\nscript:alert(1)",
                "java\u0000script:alert(1)",
                "jav&#x09;ascript:alert(1)",
                "data:text/html,<script>alert(1)</script>",
                "vbscript:msgbox(1)",
                "//evil.example/x",
                "/relative/path",
                "relative",
                "https:evil",
                "http:///nohost",
                "file:///etc/passwd",
                "ftp://example.com/x",
                "https://exa mple.com/",
                "https://example.com/\"onmouseover=\"x",
                "https://example.com/<script>",
                ""
            })
    void refuses_everything_else(String url) {
        assertThat(Html.href(url)).isEmpty();
    }
}

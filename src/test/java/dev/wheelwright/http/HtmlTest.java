package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            <script>alert(1)</script>     | &lt;script&gt;alert(1)&lt;/script&gt;
            " onmouseover="x              | &quot; onmouseover=&quot;x
            >=3.8,<4                      | &gt;=3.8,&lt;4
            a & b                         | a &amp; b
            it's                          | it&#39;s
            """)
    void escapes_every_markup_character(String raw, String escaped) {
        assertThat(Html.text(raw)).isEqualTo(escaped);
    }
}

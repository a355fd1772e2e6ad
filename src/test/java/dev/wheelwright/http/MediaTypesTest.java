package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.errors.WheelwrightException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            application/vnd.pypi.simple.v1+json                                                                 | V1_JSON
            application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01 | V1_JSON
            application/vnd.pypi.simple.v1+json, */*;q=0.1                                                      | V1_JSON
            text/html, application/vnd.pypi.simple.v1+html, application/vnd.pypi.simple.v1+json                 | TEXT_HTML
            text/html;q=0.01, application/vnd.pypi.simple.v1+html;q=0.2, application/vnd.pypi.simple.v1+json   | V1_JSON
            application/vnd.pypi.simple.v1+html                                                                 | V1_HTML
            application/vnd.pypi.simple.latest+html                                                             | V1_HTML
            application/*                                                                                       | V1_HTML
            */*                                                                                                 | TEXT_HTML
            text/*;q=0.5, application/vnd.pypi.simple.v1+json;q=0.4                                             | TEXT_HTML
            application/vnd.pypi.simple.v1+json;q=0, text/html                                                  | TEXT_HTML
            """)
    void picks_the_highest_q_with_ties_to_server_order(String accept, MediaTypes expected) {
        assertThat(MediaTypes.negotiate(Optional.empty(), Optional.of(accept))).isEqualTo(expected);
    }

    @Test
    void no_accept_header_means_html() {
        assertThat(MediaTypes.negotiate(Optional.empty(), Optional.empty())).isEqualTo(MediaTypes.TEXT_HTML);
    }

    @Test
    void a_known_format_parameter_wins_and_an_unknown_one_is_ignored() {
        assertThat(MediaTypes.negotiate(Optional.of("application/vnd.pypi.simple.v1+json"), Optional.of("text/html")))
                .isEqualTo(MediaTypes.V1_JSON);
        assertThat(MediaTypes.negotiate(Optional.of("image/png"), Optional.of("text/html")))
                .isEqualTo(MediaTypes.TEXT_HTML);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            text/plain
            application/json
            application/vnd.pypi.simple.v1+json;q=0
            garbage
            """)
    void nothing_acceptable_is_406(String accept) {
        assertThatThrownBy(() -> MediaTypes.negotiate(Optional.empty(), Optional.of(accept)))
                .isInstanceOfSatisfying(
                        WheelwrightException.class,
                        e -> assertThat(e.kind()).isEqualTo(WheelwrightException.Kind.NOT_ACCEPTABLE));
    }
}

package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentCodingsTest {
    @ParameterizedTest(name = "Accept-Encoding: {0} -> gzip {1}")
    @CsvSource(delimiter = '|', textBlock = """
            gzip                          | true
            gzip, deflate                 | true
            gzip, deflate, br, zstd       | true
            GZIP                          | true
            x-gzip                        | true
            deflate, gzip;q=0.5           | true
            gzip;q=0                      | false
            gzip; q=0.000                 | false
            gzip;q=0, *                   | false
            *                             | true
            *;q=0                         | false
            deflate, br                   | false
            identity                      | false
            gzip;q=abc                    | false
            gzip;q=2                      | false
            ''                            | false
            """)
    void reads_whether_gzip_is_acceptable(String header, boolean gzip) {
        assertThat(ContentCodings.acceptsGzip(header)).isEqualTo(gzip);
    }

    @Test
    void no_header_means_identity() {
        assertThat(ContentCodings.acceptsGzip(null)).isFalse();
    }
}

package dev.wheelwright.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DsseTest {
    @Test
    void pae_matches_the_dsse_protocol_example() {
        // secure-systems-lab/dsse protocol.md, "Test vectors"
        byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(pae, StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void lengths_count_bytes_not_characters() {
        byte[] pae = Dsse.pae("t", "é".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
    }
}

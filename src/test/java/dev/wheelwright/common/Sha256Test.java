package dev.wheelwright.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
    // FIPS 180-4 example "abc" and the empty message
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void every_form_gives_the_same_lower_case_hex(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("abc"), "abc");
        MessageDigest streamed = Sha256.newDigest();
        streamed.update("ab".getBytes(StandardCharsets.US_ASCII));
        streamed.update((byte) 'c');

        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
        assertThat(Sha256.hex("abc")).isEqualTo(ABC);
        assertThat(Sha256.hex(file)).isEqualTo(ABC);
        assertThat(Sha256.hex(streamed)).isEqualTo(ABC);
        assertThat(Sha256.hex(new byte[0])).isEqualTo(EMPTY);
    }

    @Test
    void text_is_hashed_as_utf_8() {
        assertThat(Sha256.hex("é")).isEqualTo(Sha256.hex(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    }
}

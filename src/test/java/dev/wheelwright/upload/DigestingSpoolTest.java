package dev.wheelwright.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.common.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spooling a file to import: small ones are kept in memory as well, and every one is copied and digested whole. */
class DigestingSpoolTest {
    @TempDir
    Path dir;

    private static byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void a_file_of_at_most_keep_bytes_comes_back_in_memory_and_in_the_scratch_copy() throws IOException {
        Path scratch = Files.writeString(dir.resolve("scratch"), "what the last file left, longer than this one");
        byte[] content = bytes(100);

        DigestingSpool.Spooled spooled =
                DigestingSpool.spoolForImport("a.whl", new ByteArrayInputStream(content), scratch, 1000, 100);

        assertThat(spooled.bytes()).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
        assertThat(spooled.file().size()).isEqualTo(100);
        assertThat(spooled.file().sha256()).isEqualTo(Sha256.hex(content));
        assertThat(Files.readAllBytes(scratch)).isEqualTo(content);
    }

    @Test
    void a_file_above_keep_bytes_is_copied_whole_and_not_kept() throws IOException {
        Path scratch = Files.createFile(dir.resolve("scratch"));
        byte[] content = bytes(200_001); // several reads past the kept head

        DigestingSpool.Spooled spooled =
                DigestingSpool.spoolForImport("a.whl", new ByteArrayInputStream(content), scratch, 1_000_000, 100);

        assertThat(spooled.bytes()).isEmpty();
        assertThat(spooled.file().size()).isEqualTo(200_001);
        assertThat(spooled.file().sha256()).isEqualTo(Sha256.hex(content));
        assertThat(Files.readAllBytes(scratch)).isEqualTo(content);
    }

    @Test
    void a_file_over_the_limit_is_refused_whether_or_not_it_would_be_kept() throws IOException {
        Path scratch = Files.createFile(dir.resolve("scratch"));

        assertThatThrownBy(() -> DigestingSpool.spoolForImport(
                        "small.whl", new ByteArrayInputStream(bytes(51)), scratch, 50, 100))
                .isInstanceOf(UploadTooLargeException.class);
        assertThatThrownBy(() -> DigestingSpool.spoolForImport(
                        "big.whl", new ByteArrayInputStream(bytes(5001)), scratch, 5000, 100))
                .isInstanceOf(UploadTooLargeException.class);
        DigestingSpool.Spooled exact =
                DigestingSpool.spoolForImport("exact.whl", new ByteArrayInputStream(bytes(50)), scratch, 50, 100);
        assertThat(exact.bytes()).isPresent();
    }
}

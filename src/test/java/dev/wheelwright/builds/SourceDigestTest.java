package dev.wheelwright.builds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.common.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceDigestTest {
    @TempDir
    Path tree;

    @Test
    void is_the_sha256_of_sha256sum_lines_sorted_by_path_bytes() throws Exception {
        write("b.txt", "b\n");
        write("a/z.py", "z\n");
        write("a-b", "dash\n"); // '-' (0x2d) sorts before '/' (0x2f): "a-b" before "a/z.py"
        Files.createDirectories(tree.resolve("empty"));

        String expected = Sha256.hex(
                Sha256.hex("dash\n") + "  a-b\n" + Sha256.hex("z\n") + "  a/z.py\n" + Sha256.hex("b\n") + "  b.txt\n");

        assertThat(SourceDigest.of(tree)).isEqualTo(expected);
    }

    @Test
    void changes_with_a_byte_of_any_file_or_a_name() throws Exception {
        write("pkg/mod.py", "x = 1\n");
        String before = SourceDigest.of(tree);
        write("pkg/mod.py", "x = 2\n");
        String changed = SourceDigest.of(tree);
        Files.move(tree.resolve("pkg/mod.py"), tree.resolve("pkg/other.py"));

        assertThat(changed).isNotEqualTo(before);
        assertThat(SourceDigest.of(tree)).isNotEqualTo(changed);
    }

    @Test
    void a_symbolic_link_counts_as_its_target_text() throws Exception {
        write("real.txt", "content\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("real.txt"));

        String expected = Sha256.hex(Sha256.hex("real.txt") + "  link\n" + Sha256.hex("content\n") + "  real.txt\n");

        assertThat(SourceDigest.of(tree)).isEqualTo(expected);
    }

    private void write(String path, String content) throws Exception {
        Path file = tree.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}

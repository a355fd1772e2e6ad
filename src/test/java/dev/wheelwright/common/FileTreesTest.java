package dev.wheelwright.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path dir;

    @Test
    void deletes_a_tree_with_its_root() throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/file"), "x");
        Files.writeString(root.resolve("top"), "y");

        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void a_missing_root_is_not_an_error() throws Exception {
        FileTrees.delete(dir.resolve("never-made"));

        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void deletes_a_single_file() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        FileTrees.delete(file);

        assertThat(file).doesNotExist();
    }

    @Test
    void deletes_symbolic_links_without_following_them() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path kept = Files.writeString(outside.resolve("kept"), "x");
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("nowhere"));

        FileTrees.delete(root);

        assertThat(root).doesNotExist();
        assertThat(kept).exists();
    }
}

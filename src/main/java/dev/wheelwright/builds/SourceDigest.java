package dev.wheelwright.builds;

import dev.wheelwright.common.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sha256 of an exported source tree, as provenance records it: the sha256 of the lines {@code sha256sum} prints
 * for every regular file of the tree (lower-case hex digest, two spaces, the path relative to the tree with
 * {@code /} separators, a newline), sorted by path in byte order. A symbolic link counts as a file whose content is
 * its target. So {@code cd TREE && find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum}
 * gives the same digest for a tree without links.
 */
public final class SourceDigest {
    private SourceDigest() {}

    /** The digest of the tree under {@code root}; an unreadable tree is an {@link IOException}. */
    public static String of(Path root) throws IOException {
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
                    paths.add(root.relativize(p).toString().replace('\\', '/'));
                }
            }
        }
        paths.sort((a, b) ->
                Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        StringBuilder lines = new StringBuilder();
        for (String path : paths) {
            Path file = root.resolve(path);
            String digest = Files.isSymbolicLink(file)
                    ? Sha256.hex(Files.readSymbolicLink(file).toString())
                    : Sha256.hex(file);
            lines.append(digest).append("  ").append(path).append('\n');
        }
        return Sha256.hex(lines.toString());
    }
}

package dev.wheelwright.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.storage.InMemoryProjectCatalog;
import dev.wheelwright.storage.fs.FileSystemBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #14: the upload rules must not refuse real packages. Imports a deterministic sample of the local wheel mirror
 * ({@code /opt/pypi/files}, or {@code WHEELWRIGHT_TEST_MIRROR}): every {@value #EVERY}th file of the sorted list of
 * wheels and sdists of at most {@value #MAX_BYTES} bytes (the few larger ones only cost copying time), and expects
 * every one stored. Without the folder the test fails.
 */
class MirrorImportTest {
    private static final int EVERY = 3;
    private static final long MAX_BYTES = 8L * 1024 * 1024;

    @TempDir
    Path data;

    @Test
    void accepts_every_file_of_a_sample_of_the_local_mirror() throws IOException {
        Path mirror = Path.of(System.getenv().getOrDefault("WHEELWRIGHT_TEST_MIRROR", "/opt/pypi/files"));
        // scripts/test-prerequisites stops at once when the mirror is missing; here it fails, never skips
        assertThat(mirror)
                .as("the wheel mirror (scripts/test-prerequisites requires it)")
                .isDirectory();
        List<Path> sample = sample(mirror);
        UploadService imports = new UploadService(
                new InMemoryProjectCatalog(),
                new FileSystemBlobStore(data.resolve("blobs")),
                data.resolve("tmp"),
                MAX_BYTES,
                Clock.systemUTC());

        List<String> refused = new ArrayList<>();
        int stored = 0;
        for (Path file : sample) {
            try {
                imports.importFile(file, "mirror-test");
                stored++;
            } catch (WheelwrightException e) {
                refused.add(file.getFileName() + ": " + e.getMessage());
            }
        }

        assertThat(sample).hasSizeGreaterThan(200);
        assertThat(refused).as("refused real packages").isEmpty();
        assertThat(stored).isEqualTo(sample.size());
    }

    private static List<Path> sample(Path mirror) throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.walk(mirror)) {
            all = files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".whl") || n.endsWith(".tar.gz") || n.endsWith(".zip");
                    })
                    .filter(p -> size(p) <= MAX_BYTES)
                    .sorted()
                    .toList();
        }
        List<Path> sample = new ArrayList<>();
        for (int i = 0; i < all.size(); i += EVERY) {
            sample.add(all.get(i));
        }
        return sample;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

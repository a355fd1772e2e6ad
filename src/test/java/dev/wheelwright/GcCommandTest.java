package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.testing.Wheels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #13: {@code gc} finds unreferenced blobs, stale build environments and old build scratch; only --apply deletes. */
class GcCommandTest {
    private static final FileTime LONG_AGO = FileTime.from(Instant.now().minus(Duration.ofDays(60)));

    @TempDir
    Path dir;

    private Path config;
    private Path data;
    private Path orphan;
    private Path staleEnv;
    private Path freshEnv;
    private Path halfMadeEnv;
    private Path oldScratch;

    @BeforeEach
    void dataDirWithGarbage() throws Exception {
        data = dir.resolve("data");
        config = dir.resolve("wheelwright.yaml");
        Files.writeString(config, "storage: {data-dir: \"" + data + "\"}\n");
        Path wheels = Files.createDirectories(dir.resolve("wheels"));
        Wheels.simple(wheels, "kept", "1.0", "2.1");
        assertThat(run("import", wheels.toString()).code()).isZero();
        try (Stream<Path> blobs = Files.walk(data.resolve("blobs"))) { // the imported, referenced blobs: old too
            for (Path p : blobs.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, LONG_AGO);
            }
        }
        orphan = write(data.resolve("blobs/sha256/ab/" + "ab".repeat(32) + ".whl"), 1000);
        Files.setLastModifiedTime(orphan, LONG_AGO);
        staleEnv = Files.createDirectories(data.resolve("build-envs/stale"));
        write(staleEnv.resolve("bin/python"), 300);
        Files.setLastModifiedTime(write(staleEnv.resolve(".ready"), 0), LONG_AGO);
        freshEnv = Files.createDirectories(data.resolve("build-envs/fresh"));
        write(freshEnv.resolve("bin/python"), 300);
        Files.setLastModifiedTime(write(freshEnv.resolve(".ready"), 0), LONG_AGO); // made long ago,
        write(freshEnv.resolve(".used"), 0); // but reused now
        halfMadeEnv = Files.createDirectories(data.resolve("build-envs/half"));
        write(halfMadeEnv.resolve("lib/x.py"), 50);
        Files.setLastModifiedTime(halfMadeEnv, LONG_AGO);
        // pid 1 is alive in every container and machine, so opening the storage keeps its directory
        oldScratch = Files.createDirectories(data.resolve("tmp/1/builds/build-123"));
        write(oldScratch.resolve("out/demo.whl"), 2000);
        Files.setLastModifiedTime(oldScratch, LONG_AGO);
    }

    @Test
    void a_dry_run_prints_each_item_and_the_bytes_and_deletes_nothing() throws Exception {
        Run gc = run("gc");

        assertThat(gc.code()).isZero();
        assertThat(gc.out())
                .contains("would remove blob sha256/ab/" + "ab".repeat(32) + ".whl (1000 bytes)")
                .contains("would remove build environment stale (300 bytes)")
                .contains("would remove build environment half (50 bytes)")
                .contains("would remove build scratch 1/builds/build-123 (2000 bytes)")
                .contains("would remove 4 items, 3350 bytes (dry run: --apply deletes)")
                .doesNotContain("fresh")
                .doesNotContain("kept");
        assertThat(orphan).exists();
        assertThat(staleEnv).exists();
        assertThat(halfMadeEnv).exists();
        assertThat(oldScratch).exists();
    }

    @Test
    void apply_deletes_exactly_what_the_dry_run_listed() throws Exception {
        Run gc = run("gc", "--apply");

        assertThat(gc.code()).isZero();
        assertThat(gc.out()).contains("removed 4 items, 3350 bytes");
        assertThat(orphan).doesNotExist();
        assertThat(staleEnv).doesNotExist();
        assertThat(halfMadeEnv).doesNotExist();
        assertThat(oldScratch).doesNotExist();
        assertThat(freshEnv).exists();
        assertThat(run("gc").out()).contains("would remove 0 items, 0 bytes");
        try (Stream<Path> blobs = Files.walk(data.resolve("blobs"))) {
            assertThat(blobs.filter(Files::isRegularFile)
                            .map(p -> p.getFileName().toString()))
                    .isNotEmpty()
                    .allSatisfy(name -> assertThat(name).doesNotStartWith("ab".repeat(32)));
        }
    }

    private record Run(int code, String out) {}

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] argv = Stream.concat(Stream.of("--config", config.toString()), Stream.of(args))
                .toArray(String[]::new);
        int code = new Wheelwright(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of()).run(argv);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    private static Path write(Path file, int bytes) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
        return file;
    }
}

package dev.wheelwright.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.wheelwright.testing.TarWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistributionArchiveTest {
    /** CRLF, a trailing space and a byte that is not UTF-8: the bytes must come back untouched. */
    private static final byte[] METADATA = concat(
            "Metadata-Version: 2.4\r\nName: foo\r\nVersion: 1.0 \r\n\r\nBody \u00e9 ".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xff, '\n'});

    private static final WheelFilename WHEEL = WheelFilename.parse("foo-1.0-py3-none-any.whl");
    private static final SdistFilename SDIST = SdistFilename.parse("foo-1.0.tar.gz");

    @TempDir
    Path dir;

    @Test
    void returns_the_exact_metadata_bytes_of_a_wheel() throws IOException {
        Path wheel = zip(
                "foo-1.0-py3-none-any.whl",
                Map.of(
                        "foo/__init__.py", bytes("x = 1\n"),
                        "foo-1.0.dist-info/WHEEL", bytes("Wheel-Version: 1.0\n"),
                        "foo-1.0.dist-info/METADATA", METADATA,
                        "foo-1.0.dist-info/RECORD", bytes("")));

        assertThat(DistributionArchive.wheelMetadata(wheel, WHEEL)).isEqualTo(METADATA);
    }

    @Test
    void accepts_a_legacy_dist_info_spelling_of_the_same_project() throws IOException {
        Path wheel = zip("x.whl", Map.of("Foo.Bar-1.0.dist-info/METADATA", METADATA));

        byte[] bytes = DistributionArchive.wheelMetadata(wheel, WheelFilename.parse("foo_bar-1.0-py3-none-any.whl"));

        assertThat(bytes).isEqualTo(METADATA);
    }

    @Test
    void rejects_a_wheel_without_metadata() throws IOException {
        Path wheel = zip("x.whl", Map.of("foo-1.0.dist-info/WHEEL", bytes("Wheel-Version: 1.0\n")));

        assertThatThrownBy(() -> DistributionArchive.wheelMetadata(wheel, WHEEL))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("wheel foo-1.0-py3-none-any.whl has no foo-1.0.dist-info/METADATA");
    }

    @Test
    void rejects_a_wheel_whose_dist_info_names_another_project() throws IOException {
        Path wheel = zip("x.whl", Map.of("bar-1.0.dist-info/METADATA", METADATA));

        assertThatThrownBy(() -> DistributionArchive.wheelMetadata(wheel, WHEEL))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessageContaining("bar-1.0.dist-info");
    }

    @Test
    void rejects_a_wheel_with_two_dist_info_directories() throws IOException {
        Path wheel = zip(
                "x.whl",
                Map.of(
                        "foo-1.0.dist-info/METADATA", METADATA,
                        "foo-2.0.dist-info/METADATA", METADATA));

        assertThatThrownBy(() -> DistributionArchive.wheelMetadata(wheel, WHEEL))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("wheel foo-1.0-py3-none-any.whl has more than one .dist-info directory");
    }

    @Test
    void ignores_a_nested_metadata_file() throws IOException {
        Path wheel = zip("x.whl", Map.of("vendored/bar-1.0.dist-info/METADATA", METADATA));

        assertThatThrownBy(() -> DistributionArchive.wheelMetadata(wheel, WHEEL))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessageContaining("has no foo-1.0.dist-info/METADATA");
    }

    @ParameterizedTest(name = "{0} bytes of garbage")
    @ValueSource(ints = {0, 1, 22, 4096})
    void rejects_garbage_that_is_not_a_zip(int size) throws IOException {
        Path garbage = write("garbage.whl", garbage(size));

        assertThatThrownBy(() -> DistributionArchive.wheelMetadata(garbage, WHEEL))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("wheel foo-1.0-py3-none-any.whl is not a valid zip archive");
        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(garbage, SdistFilename.parse("foo-1.0.zip")))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("sdist foo-1.0.zip is not a valid zip archive");
    }

    @Test
    void rejects_a_metadata_zip_bomb_quickly() throws IOException {
        Path bomb = dir.resolve("bomb.whl");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry("foo-1.0.dist-info/METADATA"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 20; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertThat(Files.size(bomb)).isLessThan(200_000);

        assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThatThrownBy(() -> DistributionArchive.wheelMetadata(bomb, WHEEL))
                        .isInstanceOf(InvalidDistributionException.class)
                        .hasMessage("wheel foo-1.0-py3-none-any.whl has a METADATA larger than 16 MiB"));
    }

    @Test
    void rejects_a_wheel_with_too_many_entries() throws IOException {
        Path wheel = dir.resolve("many.whl");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(wheel))) {
            for (int i = 0; i <= DistributionArchive.MAX_WHEEL_ENTRIES; i++) {
                zip.putNextEntry(new ZipEntry("foo/f" + i + ".py"));
                zip.closeEntry();
            }
        }

        assertThatThrownBy(() -> DistributionArchive.wheelMetadata(wheel, WHEEL))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessageContaining("more than " + DistributionArchive.MAX_WHEEL_ENTRIES + " entries");
    }

    @Test
    void returns_the_exact_pkg_info_bytes_of_a_tar_gz_sdist() throws IOException {
        Path sdist = write(
                "foo-1.0.tar.gz",
                new TarWriter()
                        .directory("foo-1.0/")
                        .file("foo-1.0/pyproject.toml", bytes("[project]\n"))
                        .file("foo-1.0/foo.egg-info/PKG-INFO", bytes("Metadata-Version: 2.1\nName: wrong\n"))
                        .file("foo-1.0/PKG-INFO", METADATA)
                        .file("foo-1.0/src/foo/__init__.py", garbage(5000))
                        .tarGz());

        assertThat(DistributionArchive.sdistMetadata(sdist, SDIST)).isEqualTo(METADATA);
    }

    @Test
    void reads_pax_and_gnu_long_names() throws IOException {
        String deep = "foo-1.0/" + "d/".repeat(80) + "x.py";
        Path pax = write(
                "pax.tar.gz",
                new TarWriter()
                        .paxFile(deep, bytes("x"))
                        .paxFile("foo-1.0/PKG-INFO", METADATA)
                        .tarGz());
        Path gnu = write(
                "gnu.tar.gz",
                new TarWriter()
                        .gnuLongNameFile(deep, bytes("x"))
                        .gnuLongNameFile("foo-1.0/PKG-INFO", METADATA)
                        .tarGz());

        assertThat(DistributionArchive.sdistMetadata(pax, SDIST)).isEqualTo(METADATA);
        assertThat(DistributionArchive.sdistMetadata(gnu, SDIST)).isEqualTo(METADATA);
    }

    @Test
    void accepts_dot_slash_prefixed_names() throws IOException {
        Path sdist = write(
                "foo-1.0.tar.gz",
                new TarWriter()
                        .directory("./")
                        .file("./foo-1.0/PKG-INFO", METADATA)
                        .tarGz());

        assertThat(DistributionArchive.sdistMetadata(sdist, SDIST)).isEqualTo(METADATA);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../evil", "foo-1.0/../../evil", "/etc/passwd", "foo-1.0\\..\\evil"})
    void rejects_path_traversal_entries(String name) throws IOException {
        Path sdist = write(
                "foo-1.0.tar.gz",
                new TarWriter()
                        .file("foo-1.0/PKG-INFO", METADATA)
                        .file(name, bytes("x"))
                        .tarGz());

        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(sdist, SDIST))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessageStartingWith("sdist foo-1.0.tar.gz has an unsafe entry name");
    }

    @Test
    void rejects_an_sdist_with_two_top_level_directories() throws IOException {
        Path sdist = write(
                "foo-1.0.tar.gz",
                new TarWriter()
                        .file("foo-1.0/PKG-INFO", METADATA)
                        .file("bar-1.0/PKG-INFO", METADATA)
                        .tarGz());

        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(sdist, SDIST))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("sdist foo-1.0.tar.gz must have exactly one top-level directory, not 2");
    }

    @Test
    void rejects_an_sdist_without_pkg_info() throws IOException {
        Path sdist = write(
                "foo-1.0.tar.gz",
                new TarWriter()
                        .file("foo-1.0/setup.py", bytes("x"))
                        .file("foo-1.0/foo.egg-info/PKG-INFO", METADATA)
                        .tarGz());

        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(sdist, SDIST))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("sdist foo-1.0.tar.gz has no foo-1.0/PKG-INFO");
    }

    @Test
    void rejects_a_symlinked_pkg_info() throws IOException {
        Path sdist = write(
                "foo-1.0.tar.gz", new TarWriter().symlink("foo-1.0/PKG-INFO").tarGz());

        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(sdist, SDIST))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void rejects_a_pkg_info_declared_larger_than_the_limit_without_reading_it() throws IOException {
        Path sdist = write(
                "foo-1.0.tar.gz",
                new TarWriter().headerOnly("foo-1.0/PKG-INFO", 1L << 30).tarGz());

        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(sdist, SDIST))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("sdist foo-1.0.tar.gz has a PKG-INFO larger than 16 MiB");
    }

    @Test
    void rejects_garbage_and_truncated_tar_gz_files() throws IOException {
        Path garbage = write("g.tar.gz", garbage(3000));
        Path notTar = write("n.tar.gz", TarWriter.gzip(garbage(3000)));
        byte[] full = new TarWriter().file("foo-1.0/PKG-INFO", METADATA).tar();
        Path truncated = write("t.tar.gz", TarWriter.gzip(java.util.Arrays.copyOf(full, 700)));

        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(garbage, SDIST))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("sdist foo-1.0.tar.gz is not a valid tar.gz archive");
        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(notTar, SDIST))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("sdist foo-1.0.tar.gz is not a valid tar.gz archive");
        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(truncated, SDIST))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessage("sdist foo-1.0.tar.gz is a truncated tar.gz archive");
    }

    @Test
    void scans_a_large_tar_gz_bomb_in_bounded_time() throws IOException {
        Path bomb = dir.resolve("foo-1.0.tar.gz");
        byte[] header =
                new TarWriter().headerOnly("foo-1.0/big.bin", 200L << 20).tar();
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            gz.write(header, 0, 512);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                gz.write(zeros);
            }
            gz.write(new TarWriter().file("foo-1.0/PKG-INFO", METADATA).tar());
        }

        byte[] bytes =
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> DistributionArchive.sdistMetadata(bomb, SDIST));

        assertThat(bytes).isEqualTo(METADATA);
    }

    @Test
    void returns_the_exact_pkg_info_bytes_of_a_zip_sdist() throws IOException {
        Path sdist = zip("foo-1.0.zip", Map.of("foo-1.0/setup.py", bytes("x"), "foo-1.0/PKG-INFO", METADATA));

        assertThat(DistributionArchive.sdistMetadata(sdist, SdistFilename.parse("foo-1.0.zip")))
                .isEqualTo(METADATA);
    }

    @Test
    void rejects_traversal_in_a_zip_sdist() throws IOException {
        Path sdist = zip("foo-1.0.zip", Map.of("foo-1.0/PKG-INFO", METADATA, "foo-1.0/../../x", bytes("x")));

        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(sdist, SdistFilename.parse("foo-1.0.zip")))
                .isInstanceOf(InvalidDistributionException.class)
                .hasMessageStartingWith("sdist foo-1.0.zip has an unsafe entry name");
    }

    @Test
    void matches_unzip_on_a_real_wheel_of_the_machines_mirror() throws Exception {
        Path real = Path.of("/opt/pypi/files/requests-2.34.2-py3-none-any.whl");
        assertThat(real).as("the machine's wheel mirror").isRegularFile();
        WheelFilename filename = WheelFilename.parse(real.getFileName().toString());
        Process unzip;
        try {
            unzip = new ProcessBuilder("unzip", "-p", real.toString(), filename.distInfoDirectory() + "/METADATA")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException noUnzip) {
            throw new AssertionError("unzip is needed to cross-check the wheel reader", noUnzip);
        }
        byte[] expected;
        try (InputStream in = unzip.getInputStream()) {
            expected = in.readAllBytes();
        }
        assertThat(unzip.waitFor(30, TimeUnit.SECONDS) && unzip.exitValue() == 0)
                .as("unzip -p succeeded")
                .isTrue();

        byte[] actual = DistributionArchive.wheelMetadata(real, filename);

        assertThat(actual).isEqualTo(expected);
        assertThat(CoreMetadata.parse(actual).projectName()).isEqualTo(filename.name());
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : new LinkedHashMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return write(name, bytes.toByteArray());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] garbage(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void refuses_a_zip_whose_entry_names_are_not_utf_8() throws IOException {
        // the fuzzer found names that make java.util.zip throw IllegalArgumentException (corpus: non-utf8-entry-name)
        Path wheel = dir.resolve("demo-1.0-py3-none-any.whl");
        Path sdist = dir.resolve("demo-1.0.zip");
        for (Path file : new Path[] {wheel, sdist}) {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file), StandardCharsets.ISO_8859_1)) {
                zip.putNextEntry(new ZipEntry("d\u00e9mo-1.0/PKG-INFO"));
                zip.write("Metadata-Version: 2.1\n".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }

        assertThatThrownBy(() -> DistributionArchive.wheelMetadata(
                        wheel, WheelFilename.parse(wheel.getFileName().toString())))
                .isInstanceOf(InvalidDistributionException.class);
        assertThatThrownBy(() -> DistributionArchive.sdistMetadata(
                        sdist, SdistFilename.parse(sdist.getFileName().toString())))
                .isInstanceOf(InvalidDistributionException.class);
    }
}

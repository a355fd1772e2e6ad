package dev.wheelwright.security;

import dev.wheelwright.testing.TarWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes hostile distributions straight to disk, streaming, so the test JVM never holds what they expand to. */
final class HostileArchives {
    private HostileArchives() {}

    /**
     * A wheel whose {@code METADATA} is a valid header block followed by {@code inflatedBytes} of zeros, deflated
     * (about 1 MB on disk per GB inflated).
     */
    static Path zipBombWheel(Path dir, String project, String version, long inflatedBytes) throws IOException {
        String stem = project.replace('-', '_') + "-" + version;
        Path wheel = dir.resolve(stem + "-py3-none-any.whl");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(wheel), 1 << 16);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry(stem + ".dist-info/METADATA"));
            zip.write(("Metadata-Version: 2.1\nName: " + project + "\nVersion: " + version + "\nSummary: ")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < inflatedBytes; written += zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, inflatedBytes - written));
            }
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(stem + ".dist-info/WHEEL"));
            zip.write(
                    "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return wheel;
    }

    /** An sdist {@code project-version.tar.gz} of {@code entries} empty files, PKG-INFO last. */
    static Path manyEntriesSdist(Path dir, String project, String version, int entries) throws IOException {
        String top = project.replace('-', '_') + "-" + version;
        Path sdist = dir.resolve(top + ".tar.gz");
        try (TarWriter tar = TarWriter.gzipFile(sdist)) {
            for (int i = 0; i < entries; i++) {
                tar.file(top + "/f" + i, new byte[0]);
            }
            tar.file(top + "/PKG-INFO", pkgInfo(project, version));
        }
        return sdist;
    }

    /**
     * An sdist whose one file sits {@code depth} directories deep (the path in a pax header), with no PKG-INFO
     * beside the top directory but one at the bottom.
     */
    static Path deeplyNestedSdist(Path dir, String project, String version, int depth) throws IOException {
        String top = project.replace('-', '_') + "-" + version;
        Path sdist = dir.resolve(top + ".tar.gz");
        try (TarWriter tar = TarWriter.gzipFile(sdist)) {
            tar.paxFile(top + "/" + "d/".repeat(depth) + "PKG-INFO", pkgInfo(project, version));
        }
        return sdist;
    }

    private static byte[] pkgInfo(String project, String version) {
        return ("Metadata-Version: 2.1\nName: " + project + "\nVersion: " + version + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}

package dev.wheelwright.security;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
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
            zip.write("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return wheel;
    }

    /** An sdist {@code project-version.tar.gz} of {@code entries} empty files, PKG-INFO last. */
    static Path manyEntriesSdist(Path dir, String project, String version, int entries) throws IOException {
        String top = project.replace('-', '_') + "-" + version;
        Path sdist = dir.resolve(top + ".tar.gz");
        try (Tar tar = new Tar(sdist)) {
            for (int i = 0; i < entries; i++) {
                tar.entry(top + "/f" + i, '0', new byte[0]);
            }
            tar.entry(top + "/PKG-INFO", '0', pkgInfo(project, version));
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
        try (Tar tar = new Tar(sdist)) {
            tar.paxEntry(top + "/" + "d/".repeat(depth) + "PKG-INFO", pkgInfo(project, version));
        }
        return sdist;
    }

    private static byte[] pkgInfo(String project, String version) {
        return ("Metadata-Version: 2.1\nName: " + project + "\nVersion: " + version + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A streaming ustar writer (pax {@code path} records for long names). */
    private static final class Tar implements AutoCloseable {
        private final OutputStream out;

        Tar(Path file) throws IOException {
            out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16);
        }

        void paxEntry(String name, byte[] data) throws IOException {
            String record = " path=" + name + "\n";
            int length = record.getBytes(StandardCharsets.UTF_8).length;
            int total = length + Integer.toString(length).length();
            if (Integer.toString(total).length() != Integer.toString(length).length()) {
                total++;
            }
            entry("PaxHeaders/x", 'x', (total + record).getBytes(StandardCharsets.UTF_8));
            entry("placeholder", '0', data);
        }

        void entry(String name, char type, byte[] data) throws IOException {
            byte[] h = new byte[512];
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
            put(h, 100, octal(0644, 7));
            put(h, 108, octal(0, 7));
            put(h, 116, octal(0, 7));
            put(h, 124, octal(data.length, 11));
            put(h, 136, octal(0, 11));
            h[156] = (byte) type;
            put(h, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII));
            put(h, 263, "00".getBytes(StandardCharsets.US_ASCII));
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, octal(sum, 6));
            h[154] = 0;
            h[155] = ' ';
            out.write(h);
            out.write(data);
            out.write(new byte[(512 - data.length % 512) % 512]);
        }

        @Override
        public void close() throws IOException {
            out.write(new byte[1024]);
            out.close();
        }

        private static byte[] octal(long value, int digits) {
            String s = Long.toOctalString(value);
            return ("0".repeat(Math.max(0, digits - s.length())) + s + "\0").getBytes(StandardCharsets.US_ASCII);
        }

        private static void put(byte[] target, int offset, byte[] value) {
            System.arraycopy(value, 0, target, offset, value.length);
        }
    }
}

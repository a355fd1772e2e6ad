package dev.wheelwright.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds small, valid, pure-Python wheels for tests, with chosen metadata. */
public final class Wheels {
    private Wheels() {}

    /** The METADATA text of a minimal project. */
    public static String metadata(String metadataVersion, String name, String version, String extraHeaders) {
        return "Metadata-Version: " + metadataVersion + "\nName: " + name + "\nVersion: " + version + "\n"
                + extraHeaders + "\nA test project.\n";
    }

    /**
     * Writes {@code dir/<filename>}: a wheel whose dist-info is {@code distInfoName-version.dist-info}, with the given
     * METADATA and one module {@code module/__init__.py} defining {@code VERSION}.
     */
    public static Path wheel(Path dir, String filename, String distInfo, String module, String version, String metadata)
            throws IOException {
        return wheel(dir, filename, distInfo, module, version, metadata, Map.of());
    }

    /** As {@link #wheel(Path, String, String, String, String, String)} with more files in the wheel. */
    public static Path wheel(
            Path dir,
            String filename,
            String distInfo,
            String module,
            String version,
            String metadata,
            Map<String, byte[]> more)
            throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(module + "/__init__.py", ("VERSION = \"" + version + "\"\n").getBytes(StandardCharsets.UTF_8));
        entries.putAll(more);
        entries.put(distInfo + "/METADATA", metadata.getBytes(StandardCharsets.UTF_8));
        entries.put(
                distInfo + "/WHEEL",
                "Wheel-Version: 1.0\nGenerator: wheelwright-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n"
                        .getBytes(StandardCharsets.UTF_8));
        StringBuilder record = new StringBuilder();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            record.append(e.getKey())
                    .append(",sha256=")
                    .append(urlsafeSha256(e.getValue()))
                    .append(',')
                    .append(e.getValue().length)
                    .append('\n');
        }
        record.append(distInfo).append("/RECORD,,\n");
        entries.put(distInfo + "/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
        Path target = dir.resolve(filename);
        try (OutputStream out = Files.newOutputStream(target);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return target;
    }

    /** A standard wheel {@code name-version-py3-none-any.whl} for a project whose import name is its name. */
    public static Path simple(Path dir, String name, String version, String metadataVersion) throws IOException {
        return standard(dir, name, version, metadataVersion, m -> Map.of());
    }

    /** As {@link #simple} with {@code module/data.bin} of {@code size} random bytes: a wheel of about that size. */
    public static Path large(Path dir, String name, String version, int size) throws IOException {
        byte[] data = new byte[size];
        new java.util.Random(size).nextBytes(data); // random: the wheel cannot compress it away
        return standard(dir, name, version, "2.1", module -> Map.of(module + "/data.bin", data));
    }

    /** A standard wheel with the files {@code more} gives for its module's name. */
    private static Path standard(
            Path dir,
            String name,
            String version,
            String metadataVersion,
            java.util.function.Function<String, Map<String, byte[]>> more)
            throws IOException {
        String escaped = name.replaceAll("[-_.]+", "_").toLowerCase();
        return wheel(
                dir,
                escaped + "-" + version + "-py3-none-any.whl",
                escaped + "-" + version + ".dist-info",
                escaped,
                version,
                metadata(metadataVersion, name, version, ""),
                more.apply(escaped));
    }

    private static String urlsafeSha256(byte[] bytes) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.wheelwright.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tar archives for tests: ustar headers, pax {@code path} records and GNU long names. Either in memory
 * ({@code new TarWriter()}, then {@link #tar()} or {@link #tarGz()}) or streaming into a .tar.gz file
 * ({@link #gzipFile}, closed to finish), so huge hostile archives never sit in the test's heap.
 */
public final class TarWriter implements AutoCloseable {
    private final ByteArrayOutputStream memory;
    private final OutputStream out;

    public TarWriter() {
        this.memory = new ByteArrayOutputStream();
        this.out = memory;
    }

    private TarWriter(OutputStream out) {
        this.memory = null;
        this.out = out;
    }

    /** A writer streaming a gzip-compressed tar into {@code file}; {@link #close} writes the end blocks. */
    public static TarWriter gzipFile(Path file) throws IOException {
        return new TarWriter(
                new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16));
    }

    /** A regular file with a plain ustar header (name at most 100 bytes). */
    public TarWriter file(String name, byte[] data) {
        header(name, '0', data.length);
        block(data);
        return this;
    }

    /** A directory entry. */
    public TarWriter directory(String name) {
        header(name, '5', 0);
        return this;
    }

    /** A symbolic link entry. */
    public TarWriter symlink(String name) {
        header(name, '2', 0);
        return this;
    }

    /** A regular file whose real name comes from a pax extended header. */
    public TarWriter paxFile(String name, byte[] data) {
        byte[] records = paxRecord("path", name);
        header("PaxHeaders/x", 'x', records.length);
        block(records);
        return file("placeholder-name", data);
    }

    /** A regular file whose name comes from a GNU {@code ././@LongLink} entry. */
    public TarWriter gnuLongNameFile(String name, byte[] data) {
        byte[] bytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink", 'L', bytes.length);
        block(bytes);
        return file("truncated", data);
    }

    /** A header claiming {@code size} bytes followed by no data at all (a lie or a truncation). */
    public TarWriter headerOnly(String name, long size) {
        header(name, '0', size);
        return this;
    }

    /** The archive with its two zero end blocks. */
    public byte[] tar() {
        if (memory == null) {
            throw new IllegalStateException("a streaming TarWriter is finished by close()");
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(memory.toByteArray());
        copy.writeBytes(new byte[1024]);
        return copy.toByteArray();
    }

    /** The archive gzip-compressed. */
    public byte[] tarGz() {
        return gzip(tar());
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        int total = length + Integer.toString(length).length();
        if (Integer.toString(total).length() != Integer.toString(length).length()) {
            total++;
        }
        return (total + body).getBytes(StandardCharsets.UTF_8);
    }

    private void header(String name, char type, long size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
        put(h, 100, octal(0644, 7));
        put(h, 108, octal(0, 7));
        put(h, 116, octal(0, 7));
        put(h, 124, octal(size, 11));
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
        write(h);
    }

    private void block(byte[] data) {
        write(data);
        write(new byte[(512 - data.length % 512) % 512]);
    }

    private void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Finishes a streaming archive (end blocks, then the file is closed); nothing to do in memory. */
    @Override
    public void close() throws IOException {
        if (memory == null) {
            out.write(new byte[1024]);
            out.close();
        }
    }

    private static byte[] octal(long value, int digits) {
        String s = Long.toOctalString(value);
        return ("0".repeat(Math.max(0, digits - s.length())) + s + "\0").getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] target, int offset, byte[] value) {
        System.arraycopy(value, 0, target, offset, value.length);
    }
}

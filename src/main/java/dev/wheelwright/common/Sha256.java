package dev.wheelwright.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as this index writes it everywhere (PEP 503 {@code #sha256=} fragments, token hashes, cache keys):
 * 64 lower-case hex digits. Stateless and thread-safe; a {@link #newDigest()} is not.
 */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    /** A fresh digest, for hashing bytes as they pass; finish it with {@link #hex(MessageDigest)}. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Completes {@code digest} (which is then reset) and returns its value in hex. */
    public static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }

    /** The SHA-256 of {@code bytes}, in hex. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(newDigest().digest(bytes));
    }

    /** The SHA-256 of {@code text} encoded as UTF-8, in hex. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 of a file's bytes, read as a stream, in hex. */
    public static String hex(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return hex(digest);
    }
}

package dev.wheelwright.upload;

import dev.wheelwright.common.Sha256;
import dev.wheelwright.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** Copies a stream to a temporary file under a size limit, computing sha256, md5 and blake2b-256 on the way. */
final class DigestingSpool {
    private DigestingSpool() {}

    /**
     * Spools {@code in} into a new file in {@code dir}. The file is fsynced before this returns. On any failure
     * the partial file is deleted.
     *
     * @throws UploadTooLargeException when the stream is longer than {@code limit} bytes
     */
    static ReceivedFile spool(String filename, InputStream in, Path dir, long limit) {
        Path target;
        try {
            Files.createDirectories(dir);
            target = Files.createTempFile(dir, "upload-", ".part");
        } catch (IOException e) {
            throw new StorageException("cannot create a temporary upload file", e);
        }
        boolean done = false;
        try {
            MessageDigest sha256 = Sha256.newDigest();
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            Blake2bDigest blake = new Blake2bDigest(256);
            long size = 0;
            try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    size += n;
                    if (size > limit) {
                        throw new UploadTooLargeException(filename, limit);
                    }
                    sha256.update(buffer, 0, n);
                    md5.update(buffer, 0, n);
                    blake.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
                out.flush();
                channel.force(true);
            }
            byte[] b = new byte[32];
            blake.doFinal(b, 0);
            HexFormat hex = HexFormat.of();
            ReceivedFile file = new ReceivedFile(
                    filename, target, size, Sha256.hex(sha256), hex.formatHex(md5.digest()), hex.formatHex(b));
            done = true;
            return file;
        } catch (IOException e) {
            throw new UploadIncompleteException(filename, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 and MD5 are part of every JDK", e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException ignored) {
                    // the temporary directory is emptied at startup
                }
            }
        }
    }
}

package dev.wheelwright.upload;

import dev.wheelwright.common.Sha256;
import dev.wheelwright.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** Copies a stream to a temporary file under a size limit, computing its digests on the way. */
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
            ReceivedFile file = copy(filename, in, target, limit, true);
            done = true;
            return file;
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

    /**
     * A file to import, copied to scratch: the copy, and the bytes themselves when the file is small enough to keep
     * in memory (then they are stored from memory, and the copy is only read to check the file).
     */
    record Spooled(ReceivedFile file, Optional<byte[]> bytes) {}

    /**
     * As {@link #spool(String, InputStream, Path, long)} for a file to import, into {@code scratch}, an existing file
     * the caller owns (and reuses for file after file: creating and deleting a file each time costs the file system
     * more than the copy): only the sha256 is computed (no form sent other digests to compare) and the copy is not
     * fsynced (the blob store makes the bytes it keeps durable itself). A file of at most {@code keep} bytes is read
     * into memory in one piece and its bytes come back too.
     */
    static Spooled spoolForImport(String filename, InputStream in, Path scratch, long limit, int keep) {
        byte[] head;
        try {
            head = in.readNBytes((int) Math.min(keep, limit) + 1);
        } catch (IOException e) {
            throw new UploadIncompleteException(filename, e);
        }
        if (head.length > limit) {
            throw new UploadTooLargeException(filename, limit);
        }
        if (head.length <= keep) {
            try {
                Files.write(scratch, head, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new UploadIncompleteException(filename, e);
            }
            String sha256 = Sha256.hex(head);
            return new Spooled(
                    new ReceivedFile(filename, scratch, head.length, sha256, Optional.empty(), Optional.empty()),
                    Optional.of(head));
        }
        InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), in);
        return new Spooled(copy(filename, whole, scratch, limit, false), Optional.empty());
    }

    private static ReceivedFile copy(String filename, InputStream in, Path target, long limit, boolean upload) {
        try {
            MessageDigest sha256 = Sha256.newDigest();
            Optional<MessageDigest> md5 = upload ? Optional.of(MessageDigest.getInstance("MD5")) : Optional.empty();
            Optional<Blake2bDigest> blake = upload ? Optional.of(new Blake2bDigest(256)) : Optional.empty();
            long size = 0;
            try (FileChannel channel =
                            FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) != -1) {
                    size += n;
                    if (size > limit) {
                        throw new UploadTooLargeException(filename, limit);
                    }
                    sha256.update(buffer, 0, n);
                    if (upload) {
                        md5.get().update(buffer, 0, n);
                        blake.get().update(buffer, 0, n);
                    }
                    out.write(buffer, 0, n);
                }
                out.flush();
                if (upload) {
                    channel.force(true);
                }
            }
            HexFormat hex = HexFormat.of();
            ReceivedFile file = new ReceivedFile(
                    filename,
                    target,
                    size,
                    Sha256.hex(sha256),
                    md5.map(d -> hex.formatHex(d.digest())),
                    blake.map(d -> {
                        byte[] b = new byte[32];
                        d.doFinal(b, 0);
                        return hex.formatHex(b);
                    }));
            return file;
        } catch (IOException e) {
            throw new UploadIncompleteException(filename, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 and MD5 are part of every JDK", e);
        }
    }
}

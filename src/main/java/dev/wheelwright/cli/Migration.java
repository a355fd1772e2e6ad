package dev.wheelwright.cli;

import dev.wheelwright.builds.BuildLogs;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.StoredBuild;
import dev.wheelwright.storage.jdbc.JdbcStorage.BlobReference;
import dev.wheelwright.storage.jdbc.JdbcStorage.CopiedTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Copies one install's storage into another's (e.g. the embedded SQLite + files into PostgreSQL + S3): every blob a
 * record refers to, each build's log, then every row of every table. Each blob is read back from the target and
 * its sha256 checked against the record before any row referring to it is copied (write, then record); rows the
 * target has already are kept, so running the copy again after an interruption finishes it. Rows written to the
 * source during the copy are caught by a last pass over the target's references (stop the source's writers, or run
 * the copy again, for a complete copy).
 */
final class Migration {
    private final Wiring.Storage from;
    private final Wiring.Storage to;
    private final PrintStream out;
    private final List<String> problems = new ArrayList<>();
    private final Set<BlobKey> verified = new HashSet<>();
    private int copied;
    private int present;
    private long bytes;

    Migration(Wiring.Storage from, Wiring.Storage to, PrintStream out) {
        this.from = Objects.requireNonNull(from);
        this.to = Objects.requireNonNull(to);
        this.out = Objects.requireNonNull(out);
    }

    /** What a run did: how many blobs it copied and found in place, per table the rows, and what went wrong. */
    record Summary(
            int blobsCopied,
            int blobsPresent,
            long bytesCopied,
            int logsCopied,
            List<CopiedTable> tables,
            List<String> problems) {}

    Summary run() {
        List<BlobReference> references = from.store().blobReferences();
        out.println("copying " + references.size() + " blobs");
        for (BlobReference reference : references) {
            copyBlob(reference);
            int done = copied + present + problems.size();
            if (done % 1000 == 0) {
                out.println("  " + done + " of " + references.size() + " blobs");
            }
        }
        int logs = copyLogs();
        List<CopiedTable> tables = problems.isEmpty() ? from.store().copyRowsTo(to.store()) : List.of();
        // rows the source got while its blobs were copied refer to blobs not copied yet: copy those too
        for (BlobReference reference : to.store().blobReferences()) {
            if (!verified.contains(reference.key())) {
                copyBlob(reference);
            }
        }
        return new Summary(copied, present, bytes, logs, tables, List.copyOf(problems));
    }

    /** Copies one blob unless the target has it with the right bytes; then reads it back and checks its sha256. */
    private void copyBlob(BlobReference reference) {
        BlobKey key = reference.key();
        try {
            if (sha256(to, key).filter(reference.sha256()::equals).isPresent()) {
                present++;
                verified.add(key);
                return;
            }
            Optional<Long> size = copy(key, reference.sha256());
            if (size.isPresent()) {
                copied++;
                bytes += size.get();
                verified.add(key);
            }
        } catch (IOException | WheelwrightException e) {
            problems.add(key + ": " + e.getMessage());
        }
    }

    /**
     * Copies the blob through a spool file, checking the source's bytes on the way and the target's after; empty
     * (and a problem noted) when the source lacks it or either side's bytes are not {@code sha256}.
     */
    private Optional<Long> copy(BlobKey key, String sha256) throws IOException {
        Optional<InputStream> source = from.blobs().open(key);
        if (source.isEmpty()) {
            problems.add(key + ": missing in the source");
            return Optional.empty();
        }
        Path spool = Files.createTempFile(to.tmpDir(), "migrate-", ".part");
        try {
            String read;
            try (InputStream in = source.get()) {
                read = spoolHashing(in, spool);
            }
            if (sha256 != null && !read.equals(sha256)) {
                problems.add(key + ": the source's bytes have sha256 " + read + ", the record says " + sha256);
                return Optional.empty();
            }
            to.blobs().put(key, spool, read);
            Optional<String> written = sha256(to, key);
            if (!written.equals(Optional.of(read))) {
                problems.add(key + ": read back from the target, its sha256 is " + written.orElse("(missing)")
                        + ", not " + read);
                return Optional.empty();
            }
            return Optional.of(Files.size(spool));
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** Copies each build's log: the kept copy in the source's blob store, else the file the source's builds wrote. */
    private int copyLogs() {
        int logs = 0;
        for (StoredBuild build : from.store().allBuilds()) {
            BlobKey key = BuildLogs.key(build.project(), build.version());
            Path legacy = from.dataDir()
                    .resolve("builds")
                    .resolve(build.project().normalized())
                    .resolve(build.version().normalized() + ".log");
            try {
                Optional<String> kept = sha256(from, key);
                Optional<String> wanted =
                        kept.isPresent() || !Files.isRegularFile(legacy) ? kept : Optional.of(Sha256.hex(legacy));
                if (wanted.isEmpty() || sha256(to, key).equals(wanted)) {
                    continue; // never started, or copied by an earlier run
                }
                if (kept.isPresent()) {
                    logs += copy(key, kept.get()).isPresent() ? 1 : 0;
                    continue;
                }
                to.blobs().put(key, legacy, wanted.get());
                if (sha256(to, key).equals(wanted)) {
                    logs++;
                } else {
                    problems.add(key + ": the log read back from the target differs from " + legacy);
                }
            } catch (IOException | WheelwrightException e) {
                problems.add(key + ": " + e.getMessage());
            }
        }
        return logs;
    }

    private static String spoolHashing(InputStream in, Path spool) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        try (DigestInputStream hashing = new DigestInputStream(in, digest);
                OutputStream file = Files.newOutputStream(spool)) {
            hashing.transferTo(file);
        }
        return Sha256.hex(digest);
    }

    private static Optional<String> sha256(Wiring.Storage storage, BlobKey key) throws IOException {
        Optional<InputStream> blob = storage.blobs().open(key);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(blob.get(), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Optional.of(Sha256.hex(digest));
    }
}

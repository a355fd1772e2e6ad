package dev.wheelwright.storage.fs;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.wheelwright.common.BoundedInputStream;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.ListedBlob;
import dev.wheelwright.storage.StorageErrors;
import dev.wheelwright.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs as files under a root directory, one file per key at {@code root/<key>}. Thread-safe and safe to share
 * between processes: {@link #put} writes a {@code .partial-*} sibling, fsyncs it, renames it over the target
 * atomically and fsyncs the directory, so readers see the old or the new bytes and a returned put survives a
 * crash. Before the rename the partial file is read back and its sha256 compared with the expected one, so a key only
 * ever holds the bytes its writer meant. Partial files are never visible as keys (a {@link BlobKey} segment cannot start with a dot); the ones a
 * crash left behind are removed when a store is constructed. Failures throw {@link StorageException} whose
 * message names the key, never the server path.
 */
public final class FileSystemBlobStore implements BlobStore {
    private static final Logger log = LoggerFactory.getLogger(FileSystemBlobStore.class);
    static final String PARTIAL_PREFIX = ".partial-";

    /**
     * A partial file younger than this may belong to a put running in another process (the server and a CLI
     * command share the data dir), so only older ones count as crash leftovers.
     */
    static final Duration STALE_PARTIAL_AGE = Duration.ofHours(1);

    private final Path root; // BlobKey rejects absolute keys, "..", and segments starting with a dot
    private final Clock clock;
    private final Counter readErrors;
    private final Counter writeErrors;

    /** A store under {@code root} (created when missing) that removes stale partial files now. */
    public FileSystemBlobStore(Path root) {
        this(root, Clock.systemUTC());
    }

    /** As {@link #FileSystemBlobStore(Path)}, judging the age of partial files by {@code clock}. */
    public FileSystemBlobStore(Path root, Clock clock) {
        this(root, clock, new CompositeMeterRegistry(), true);
    }

    /**
     * A store over {@code root} counting failed reads and writes in {@code meters} as
     * {@code wheelwright_storage_errors_total{store="artifacts",operation="read|write"}};
     * {@code removeStalePartialsNow}: false leaves the scan for partial files (which reads every directory of the
     * store) to the caller, e.g. in the background once a server is up.
     */
    public FileSystemBlobStore(Path root, Clock clock, MeterRegistry meters, boolean removeStalePartialsNow) {
        this.root = Objects.requireNonNull(root).toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock);
        this.readErrors = StorageErrors.counter(meters, "artifacts", "read");
        this.writeErrors = StorageErrors.counter(meters, "artifacts", "write");
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new StorageException("cannot create the blob store directory", e);
        }
        if (removeStalePartialsNow) {
            removeStalePartials();
        }
    }

    /**
     * Deletes {@code .partial-*} files older than {@link #STALE_PARTIAL_AGE} anywhere under the root: what a
     * crash during {@link #put} leaves behind.
     */
    public void removeStalePartials() {
        Instant cutoff = clock.instant().minus(STALE_PARTIAL_AGE);
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.getFileName().toString().startsWith(PARTIAL_PREFIX))
                    .filter(p -> isOlderThan(p, cutoff))
                    .forEach(stale::add);
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("cannot scan the blob store for partial files", e);
        }
        for (Path partial : stale) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                throw new StorageException("cannot remove partial file " + root.relativize(partial), e);
            }
        }
        if (!stale.isEmpty()) {
            log.info("Removed {} partial blob file(s) left by an interrupted write", stale.size());
        }
    }

    private static boolean isOlderThan(Path file, Instant cutoff) {
        try {
            return Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
        } catch (NoSuchFileException e) {
            return false; // renamed or deleted meanwhile by its writer
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(BlobKey key, Path file, String sha256) {
        putVia(key, (partial, sink) -> {
            try (FileChannel source = FileChannel.open(file, READ)) {
                long size = source.size();
                long copied = 0;
                while (copied < size) {
                    long n = source.transferTo(copied, size - copied, sink);
                    if (n <= 0) {
                        break; // the source shrank while we copied; keep what it has
                    }
                    copied += n;
                }
            }
            sink.force(true);
            // read back: the source may have changed since the caller took its digest
            String written = Sha256.hex(partial);
            if (!written.equals(sha256)) {
                throw refused(key, written, sha256);
            }
        });
    }

    /** As the file variant, from bytes in memory: no source to open, and nothing to read back. */
    @Override
    public void put(BlobKey key, byte[] bytes, String sha256) {
        String actual = Sha256.hex(bytes);
        if (!actual.equals(sha256)) {
            throw refused(key, actual, sha256);
        }
        putVia(key, (partial, sink) -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                sink.write(buffer);
            }
            sink.force(true);
        });
    }

    /** Writes a partial file next to the key's (through {@code writer}, which fsyncs it), renames it and fsyncs. */
    private void putVia(BlobKey key, PartialWriter writer) {
        Path target = pathOf(key);
        Path dir = target.getParent();
        Path partial = dir.resolve(PARTIAL_PREFIX + UUID.randomUUID());
        try {
            createDirectoriesDurably(dir);
            try {
                try (FileChannel sink = FileChannel.open(partial, CREATE_NEW, WRITE)) {
                    writer.write(partial, sink);
                }
                Files.move(partial, target, ATOMIC_MOVE, REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
            forceDirectory(dir);
        } catch (IOException e) {
            writeErrors.increment();
            throw new StorageException("cannot write blob " + key, e);
        }
    }

    /** Fills and fsyncs a partial file; throws to leave the key as it was. */
    @FunctionalInterface
    private interface PartialWriter {
        void write(Path partial, FileChannel sink) throws IOException;
    }

    private StorageException refused(BlobKey key, String actual, String expected) {
        writeErrors.increment();
        return new StorageException("refused to store blob " + key + ": its bytes have sha256 " + actual
                + ", not the expected " + expected);
    }

    @Override
    public Optional<InputStream> open(BlobKey key) {
        try {
            return Optional.of(Files.newInputStream(pathOf(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            readErrors.increment();
            throw new StorageException("cannot read blob " + key, e);
        }
    }

    @Override
    public Optional<InputStream> open(BlobKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range " + offset + "+" + length + " for blob " + key);
        }
        SeekableByteChannel channel;
        try {
            channel = Files.newByteChannel(pathOf(key), READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            readErrors.increment();
            throw new StorageException("cannot read blob " + key, e);
        }
        try {
            channel.position(offset);
            return Optional.of(new BoundedInputStream(Channels.newInputStream(channel), length));
        } catch (IOException e) {
            closeQuietly(channel, e);
            readErrors.increment();
            throw new StorageException("cannot read blob " + key + " from offset " + offset, e);
        }
    }

    @Override
    public boolean exists(BlobKey key) {
        return Files.isRegularFile(pathOf(key));
    }

    @Override
    public boolean delete(BlobKey key) {
        Path target = pathOf(key);
        try {
            boolean deleted = Files.deleteIfExists(target);
            if (deleted) {
                forceDirectory(target.getParent());
            }
            return deleted;
        } catch (IOException e) {
            writeErrors.increment();
            throw new StorageException("cannot delete blob " + key, e);
        }
    }

    @Override
    public List<ListedBlob> writtenBefore(Instant before) {
        List<ListedBlob> listed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String key = root.relativize(file).toString().replace('\\', '/');
                if (key.isEmpty() || file.getFileName().toString().startsWith(".") || !Files.isRegularFile(file)) {
                    continue; // the root itself, and partial files (this store's own to remove)
                }
                BlobKey blob;
                try {
                    blob = BlobKey.of(key);
                } catch (RuntimeException e) {
                    continue; // not a blob this store wrote
                }
                try {
                    Instant written = Files.getLastModifiedTime(file).toInstant();
                    if (written.isBefore(before)) {
                        listed.add(new ListedBlob(blob, Files.size(file), written));
                    }
                } catch (NoSuchFileException e) {
                    // deleted meanwhile
                }
            }
        } catch (IOException | UncheckedIOException e) {
            readErrors.increment();
            throw new StorageException("cannot list the blob store", e);
        }
        return listed;
    }

    @Override
    public void checkReachable() {
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw new StorageException("the blob store directory " + root + " is missing or not writable");
        }
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public Optional<Path> localFile(BlobKey key) {
        Path path = pathOf(key);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    private Path pathOf(BlobKey key) {
        return root.resolve(key.value());
    }

    /** Creates missing directories and fsyncs the parent of each, so the new entries survive a crash. */
    private void createDirectoriesDurably(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.add(0, d);
        }
        if (missing.isEmpty()) {
            return;
        }
        Files.createDirectories(dir);
        for (Path created : missing) {
            forceDirectory(created.getParent());
        }
    }

    /** Fsyncs a directory so a rename or new entry in it is durable. */
    private static void forceDirectory(Path dir) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(dir, READ);
        } catch (IOException e) {
            return; // some platforms (Windows) cannot open a directory; the rename is as durable as they allow
        }
        try (channel) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems refuse fsync on a directory; there is nothing more to do there
            log.debug("Directory fsync refused: {}", e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable closeable, Exception primary) {
        try {
            closeable.close();
        } catch (Exception e) {
            primary.addSuppressed(e);
        }
    }
}

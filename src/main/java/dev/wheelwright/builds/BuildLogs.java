package dev.wheelwright.builds;

import dev.wheelwright.common.Sha256;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where build logs live: a running build writes its log on the disk of the replica that runs it
 * ({@code <root>/<project>/<version>.log}); once the build has ended the log is also kept in the blob store under
 * {@code build-logs/<project>/<version>.log}, so every replica sharing the store (and an install migrated to
 * another store) can show it. A replica that has no current copy on its disk fetches it from the blob store into
 * the same place. Thread-safe.
 */
public final class BuildLogs {
    private final Path root;
    private final BlobStore blobs;

    /**
     * @param root the local directory of logs
     * @param blobs where ended builds' logs are kept
     */
    public BuildLogs(Path root, BlobStore blobs) {
        this.root = Objects.requireNonNull(root);
        this.blobs = Objects.requireNonNull(blobs);
    }

    /** The blob key of the log of the build of (project, version), by their normalized forms. */
    public static BlobKey key(ProjectName project, Version version) {
        // both parts are validated normal forms: [a-z0-9-] and [0-9a-z.!+], all allowed in blob keys but the
        // epoch's '!', which becomes '_', a character no normalized version has
        return BlobKey.of("build-logs/" + project.normalized() + "/"
                + version.normalized().replace('!', '_') + ".log");
    }

    /** The local file a running build writes its log to. */
    Path local(ProjectName project, Version version) {
        return root.resolve(project.normalized()).resolve(version.normalized() + ".log");
    }

    /** Keeps the local log of an ended build in the blob store. */
    void keep(ProjectName project, Version version) throws IOException {
        Path file = local(project, version);
        if (Files.isRegularFile(file)) {
            blobs.put(key(project, version), file, Sha256.hex(file));
        }
    }

    /**
     * The log of a build that started at {@code started}: the local file when it was written since, else the kept
     * copy fetched from the blob store; empty when neither exists (the build runs on another replica, or never ran).
     */
    Optional<Path> find(ProjectName project, Version version, Instant started) throws IOException {
        Path file = local(project, version);
        if (Files.isRegularFile(file)
                && !Files.getLastModifiedTime(file).toInstant().isBefore(started.minusSeconds(1))) {
            return Optional.of(file);
        }
        Optional<InputStream> kept = blobs.open(key(project, version));
        if (kept.isEmpty()) {
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        }
        Files.createDirectories(file.getParent());
        Path partial = Files.createTempFile(file.getParent(), ".fetch-", ".log");
        try (InputStream in = kept.get()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return Optional.of(file);
    }
}

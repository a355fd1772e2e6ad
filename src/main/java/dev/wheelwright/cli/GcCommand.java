package dev.wheelwright.cli;

import dev.wheelwright.builds.pip.PythonWheelBuilder;
import dev.wheelwright.common.FileTrees;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.ListedBlob;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gc [--apply]}: finds what nothing needs any more and prints each item with its size, then the totals; only
 * {@code --apply} deletes. Safe while a server runs on the same data: only items older than a grace period are taken,
 * so a file being written now (an upload whose record is not committed yet, a running build) is never one of them.
 *
 * <ul>
 *   <li>blobs of the artifact store (under {@code <data-dir>/blobs}, or in the bucket) that no file record and no
 *       upstream cache entry refers to, older than {@code --blob-age} (default 60 minutes); build logs are kept
 *   <li>build environments under {@code <data-dir>/build-envs} not used for {@code --env-age} (default 30 days), or
 *       left half-made for over {@value #BLOB_GRACE_HOURS} h
 *   <li>build scratch under {@code <data-dir>/tmp/<pid>/builds} older than {@code build.timeout} plus one hour (a
 *       build never runs longer than its timeout)
 * </ul>
 */
@Command(
        name = "gc",
        description = "find (and with --apply remove) unreferenced blobs, stale build environments, old scratch")
final class GcCommand implements Callable<Integer> {
    static final int BLOB_GRACE_HOURS = 1;
    private static final String BUILD_LOGS = "build-logs/";

    private final WheelwrightCommand top;

    @Option(names = "--apply", description = "delete what is found (default: only print it)")
    private boolean apply;

    @Option(
            names = "--env-age",
            paramLabel = "DAYS",
            defaultValue = "30",
            description = "remove build environments unused for this many days (default 30)")
    private int envAgeDays;

    @Option(
            names = "--blob-age",
            paramLabel = "MINUTES",
            defaultValue = "60",
            description = "take unreferenced blobs once this old (default 60; at least 1 with --apply)")
    private int blobAgeMinutes;

    GcCommand(WheelwrightCommand top) {
        this.top = Objects.requireNonNull(top);
    }

    /** One thing gc would remove, and how. */
    private record Item(String kind, String name, long bytes, Removal removal) {}

    @FunctionalInterface
    private interface Removal {
        void remove() throws IOException;
    }

    @Override
    public Integer call() {
        if (envAgeDays < 1) {
            top.err().println("error: --env-age must be at least 1 day");
            return 2;
        }
        if (blobAgeMinutes < (apply ? 1 : 0)) {
            top.err().println("error: --blob-age must be at least 1 minute with --apply (0 only for a dry run)");
            return 2;
        }
        try (Wiring wiring = top.wiring()) {
            Wiring.Storage storage = wiring.openStorage();
            Instant now = Instant.now();
            List<Item> items = new ArrayList<>();
            items.addAll(blobs(storage, now.minus(Duration.ofMinutes(blobAgeMinutes))));
            items.addAll(environments(
                    storage.dataDir().resolve("build-envs"),
                    now.minus(Duration.ofDays(envAgeDays)),
                    now.minus(Duration.ofHours(BLOB_GRACE_HOURS))));
            items.addAll(scratch(
                    storage.dataDir().resolve("tmp"),
                    now.minus(top.config().build().timeout().plusHours(1))));
            long bytes = 0;
            int failed = 0;
            for (Item item : items) {
                if (apply) {
                    try {
                        item.removal().remove();
                    } catch (IOException e) {
                        failed++;
                        top.err().println("cannot remove " + item.kind() + " " + item.name() + ": " + e.getMessage());
                        continue;
                    }
                }
                bytes += item.bytes();
                top.out()
                        .println((apply ? "removed " : "would remove ") + item.kind() + " " + item.name() + " ("
                                + item.bytes() + " bytes)");
            }
            int count = items.size() - failed;
            top.out()
                    .println(
                            apply
                                    ? "removed " + count + " items, " + bytes + " bytes"
                                    : "would remove " + count + " items, " + bytes
                                            + " bytes (dry run: --apply deletes)");
            return failed == 0 ? 0 : 1;
        }
    }

    /** Blobs of the artifact store (directory or bucket) that no record refers to. */
    private static List<Item> blobs(Wiring.Storage storage, Instant olderThan) {
        JdbcStorage store = storage.store();
        List<Item> items = new ArrayList<>();
        for (ListedBlob blob : storage.blobs().writtenBefore(olderThan)) {
            BlobKey key = blob.key();
            if (key.value().startsWith(BUILD_LOGS)) {
                continue; // the logs of build records, which are never deleted
            }
            if (!store.catalog().referencesBlob(key) && !store.upstreamCache().referencesBlob(key)) {
                items.add(new Item(
                        "blob", key.value(), blob.size(), () -> storage.blobs().delete(key)));
            }
        }
        return items;
    }

    private static List<Item> environments(Path root, Instant unusedSince, Instant halfMadeSince) {
        List<Item> items = new ArrayList<>();
        for (Path env : children(root)) {
            if (!Files.isDirectory(env)) {
                continue;
            }
            Path ready = env.resolve(PythonWheelBuilder.environmentReadyMarker());
            Path used = env.resolve(PythonWheelBuilder.environmentUsedMarker());
            boolean stale = Files.isRegularFile(ready)
                    ? modifiedBefore(ready, unusedSince) && (!Files.exists(used) || modifiedBefore(used, unusedSince))
                    : modifiedBefore(env, halfMadeSince);
            if (stale) {
                items.add(new Item(
                        "build environment", env.getFileName().toString(), size(env), () -> FileTrees.delete(env)));
            }
        }
        return items;
    }

    private static List<Item> scratch(Path tmp, Instant olderThan) {
        List<Item> items = new ArrayList<>();
        for (Path process : children(tmp)) {
            for (Path work : children(process.resolve("builds"))) {
                if (modifiedBefore(work, olderThan)) {
                    items.add(new Item(
                            "build scratch",
                            tmp.relativize(work).toString(),
                            size(work),
                            () -> FileTrees.delete(work)));
                }
            }
        }
        return items;
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static boolean modifiedBefore(Path path, Instant instant) {
        try {
            return Files.getLastModifiedTime(path).toInstant().isBefore(instant);
        } catch (NoSuchFileException e) {
            return false; // gone meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + path, e);
        }
    }

    /** The bytes of a file, or of every file under a directory. */
    private static long size(Path path) {
        if (Files.isRegularFile(path)) {
            try {
                return Files.size(path);
            } catch (IOException e) {
                return 0;
            }
        }
        long total = 0;
        for (Path f : files(path)) {
            try {
                total += Files.size(f);
            } catch (IOException e) {
                // gone meanwhile
            }
        }
        return total;
    }
}

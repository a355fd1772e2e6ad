package dev.wheelwright.common;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removing directory trees. */
public final class FileTrees {
    private FileTrees() {}

    /**
     * Deletes {@code root} and everything below it, children before their directory. A root that does not exist is
     * not an error, nor is a file that disappears meanwhile. Symbolic links are deleted, never followed. Every file
     * is tried even after one fails; then the first failure is thrown, later ones attached as suppressed.
     *
     * @throws IOException when some file or directory could not be deleted (what could be deleted is gone)
     */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Failures failures = new Failures();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                failures.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                if (!(e instanceof NoSuchFileException)) {
                    failures.add(e);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    failures.add(e);
                }
                failures.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        failures.throwFirst();
    }

    private static final class Failures {
        private IOException first;

        void delete(Path path) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                add(e);
            }
        }

        void add(IOException e) {
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }

        void throwFirst() throws IOException {
            if (first != null) {
                throw first;
            }
        }
    }
}

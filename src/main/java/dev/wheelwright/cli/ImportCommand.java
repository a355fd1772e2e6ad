package dev.wheelwright.cli;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.upload.ImportService;
import dev.wheelwright.upload.UploadService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code import DIR}: stores every wheel and sdist under DIR like an upload; exit 1 when any is refused. */
@Command(name = "import", description = "load every wheel and sdist in DIR")
final class ImportCommand implements Callable<Integer> {
    /**
     * Files read, checked and written at once by default. Most of a thread's time is spent waiting for the disk to
     * flush a file; with 32 threads those waits overlap (and the file system groups them into one journal commit), so
     * two cores stay busy: 8 threads imported about 800 files/s here, 32 about 1,200 (docs/benchmarks.md).
     */
    static final int DEFAULT_THREADS = 32;

    /** At most this many threads: each may hold a file of up to 256 KiB in memory while it works on it. */
    static final int MAX_THREADS = 256;
    /** Files recorded in one catalog transaction at most: one flush to disk for them all. */
    private static final int IMPORT_BATCH = 500;

    private final WheelwrightCommand top;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the directory to import (searched recursively)")
    private Path dir;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description =
                    "files read, checked and written at once (1-" + MAX_THREADS + ", default " + DEFAULT_THREADS + ")")
    private int threads = DEFAULT_THREADS;

    ImportCommand(WheelwrightCommand top) {
        this.top = Objects.requireNonNull(top);
    }

    @Override
    public Integer call() {
        try (Wiring wiring = top.wiring()) {
            if (!Files.isDirectory(dir)) {
                throw WheelwrightCommand.usage(spec, "not a directory: " + dir);
            }
            if (threads < 1 || threads > MAX_THREADS) {
                throw WheelwrightCommand.usage(
                        spec, "--threads must be between 1 and " + MAX_THREADS + ", not " + threads);
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(p -> {
                            String n = p.getFileName().toString();
                            return n.endsWith(".whl") || n.endsWith(".tar.gz") || n.endsWith(".zip");
                        })
                        .sorted()
                        .toList();
            } catch (IOException e) {
                top.err().println("cannot list " + dir + ": " + e.getMessage());
                return 1;
            }
            AtomicInteger stored = new AtomicInteger();
            AtomicInteger present = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            ImportService imports = new ImportService(wiring.imports(wiring.openStorage()), threads, IMPORT_BATCH);
            try {
                imports.importFiles(files, "import", new ImportService.Listener() {
                    @Override
                    public void accepted(Path file, UploadService.Result result) {
                        (result.outcome() == UploadService.Outcome.STORED ? stored : present).incrementAndGet();
                    }

                    @Override
                    public void refused(Path file, WheelwrightException reason) {
                        failed.incrementAndGet();
                        top.err().println("skipped " + file.getFileName() + ": " + reason.getMessage());
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                top.err().println("import interrupted");
                return 1;
            }
            top.out().println("imported " + stored + " files, " + present + " already present, " + failed + " refused");
            return failed.get() == 0 ? 0 : 1;
        }
    }
}

package dev.wheelwright.cli;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.upload.UploadService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code import DIR}: stores every wheel and sdist under DIR like an upload; exit 1 when any is refused. */
@Command(name = "import", description = "load every wheel and sdist in DIR")
final class ImportCommand implements Callable<Integer> {
    /** Files imported at once: enough for the disk's flushes to overlap, few enough for 2 cores. */
    private static final int IMPORT_THREADS = 8;

    private final WheelwrightCommand top;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the directory to import (searched recursively)")
    private Path dir;

    ImportCommand(WheelwrightCommand top) {
        this.top = Objects.requireNonNull(top);
    }

    @Override
    public Integer call() {
        try (Wiring wiring = top.wiring()) {
            if (!Files.isDirectory(dir)) {
                throw WheelwrightCommand.usage(spec, "not a directory: " + dir);
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
            UploadService uploads = wiring.imports(wiring.openStorage());
            // files are read, checked and made durable in parallel (their fsyncs overlap); the catalog records them
            // one transaction at a time, in whatever order they finish
            ExecutorService workers = Executors.newFixedThreadPool(IMPORT_THREADS);
            try {
                List<Future<?>> done = new ArrayList<>(files.size());
                for (Path f : files) {
                    done.add(workers.submit(() -> {
                        try {
                            UploadService.Result r = uploads.importFile(f, "import");
                            (r.outcome() == UploadService.Outcome.STORED ? stored : present).incrementAndGet();
                        } catch (WheelwrightException e) {
                            failed.incrementAndGet();
                            synchronized (top) {
                                top.err().println("skipped " + f.getFileName() + ": " + e.getMessage());
                            }
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                top.err().println("import interrupted");
                return 1;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } finally {
                workers.shutdownNow();
            }
            top.out().println("imported " + stored + " files, " + present + " already present, " + failed + " refused");
            return failed.get() == 0 ? 0 : 1;
        }
    }
}

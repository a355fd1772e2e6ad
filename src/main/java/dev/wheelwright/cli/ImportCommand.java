package dev.wheelwright.cli;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.upload.UploadService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code import DIR}: stores every wheel and sdist under DIR like an upload; exit 1 when any is refused. */
@Command(name = "import", description = "load every wheel and sdist in DIR")
final class ImportCommand implements Callable<Integer> {
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
            int stored = 0;
            int present = 0;
            int failed = 0;
            UploadService uploads = wiring.imports(wiring.openStorage());
            for (Path f : files) {
                try {
                    UploadService.Result r = uploads.importFile(f, "import");
                    if (r.outcome() == UploadService.Outcome.STORED) {
                        stored++;
                    } else {
                        present++;
                    }
                } catch (WheelwrightException e) {
                    failed++;
                    top.err().println("skipped " + f.getFileName() + ": " + e.getMessage());
                }
            }
            top.out().println("imported " + stored + " files, " + present + " already present, " + failed + " refused");
            return failed == 0 ? 0 : 1;
        }
    }
}

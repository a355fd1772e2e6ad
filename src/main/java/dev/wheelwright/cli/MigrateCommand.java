package dev.wheelwright.cli;

import dev.wheelwright.config.ConfigLoader;
import dev.wheelwright.config.WheelwrightConfig;
import dev.wheelwright.storage.jdbc.JdbcStorage.CopiedTable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code migrate --from CONFIG_A --to CONFIG_B}: copies the storage of the install {@code CONFIG_A} describes into the
 * storage {@code CONFIG_B} describes (see {@link Migration}), prints what it copied and verified, and exits 1 when
 * anything could not be copied or verified (running it again retries just that).
 */
@Command(
        name = "migrate",
        description = "copy every record, blob, token, build and log, and the upstream cache, from one install's"
                + " storage to another's (e.g. SQLite + files to PostgreSQL + S3); safe to run again")
final class MigrateCommand implements Callable<Integer> {
    private final WheelwrightCommand top;

    @Spec
    private CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "CONFIG", description = "the config of the source")
    private Path fromConfig;

    @Option(names = "--to", required = true, paramLabel = "CONFIG", description = "the config of the target")
    private Path toConfig;

    MigrateCommand(WheelwrightCommand top) {
        this.top = Objects.requireNonNull(top);
    }

    @Override
    public Integer call() {
        ConfigLoader loader = top.loader();
        WheelwrightConfig source = loader.load(fromConfig);
        WheelwrightConfig target = loader.load(toConfig);
        if (sameEmbeddedStore(source, target)) {
            throw WheelwrightCommand.usage(spec, "--from and --to name the same storage (" + dataDir(source) + ")");
        }
        try (Wiring fromWiring = new Wiring(source, top.env());
                Wiring toWiring = new Wiring(target, top.env())) {
            Migration.Summary summary =
                    new Migration(fromWiring.openStorage(), toWiring.openStorage(), top.out()).run();
            top.out()
                    .printf(
                            "blobs: %d copied (%d bytes), %d already in place; every one read back and its sha256"
                                    + " checked%n",
                            summary.blobsCopied(), summary.bytesCopied(), summary.blobsPresent());
            top.out().printf("build logs: %d copied%n", summary.logsCopied());
            for (CopiedTable table : summary.tables()) {
                top.out().printf("%s: %d rows, %d added%n", table.table(), table.read(), table.added());
            }
            if (!summary.problems().isEmpty()) {
                summary.problems().forEach(p -> top.err().println("error: " + p));
                top.err()
                        .println("error: " + summary.problems().size() + " problems"
                                + (summary.tables().isEmpty() ? "; no rows were copied" : "")
                                + "; run migrate again once they are fixed");
                return 1;
            }
            top.out().println("migrated " + fromConfig + " to " + toConfig);
            return 0;
        }
    }

    /** Both configs keep metadata and artifacts in the same data directory: copying would read and write one store. */
    private static boolean sameEmbeddedStore(WheelwrightConfig a, WheelwrightConfig b) {
        return a.storage().metadata().type().equals("sqlite")
                && b.storage().metadata().type().equals("sqlite")
                && a.storage().artifacts().type().equals("filesystem")
                && b.storage().artifacts().type().equals("filesystem")
                && dataDir(a).equals(dataDir(b));
    }

    private static Path dataDir(WheelwrightConfig config) {
        return config.storage().dataDir().toAbsolutePath().normalize();
    }
}

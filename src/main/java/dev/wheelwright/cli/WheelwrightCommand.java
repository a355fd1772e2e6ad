package dev.wheelwright.cli;

import dev.wheelwright.config.ConfigException;
import dev.wheelwright.config.ConfigLoader;
import dev.wheelwright.config.WheelwrightConfig;
import dev.wheelwright.errors.WheelwrightException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The command line: {@code wheelwright [--config FILE] COMMAND}. {@code --config} may stand before or after the
 * command. Exit codes: 0 done, 1 the command failed ({@code error: ...} on stderr), 2 a usage or config error (the
 * reason on stderr).
 */
@Command(
        name = "wheelwright",
        description = "A self-hosted Python package index.",
        synopsisSubcommandLabel = "COMMAND",
        footer = "The config file defaults to $WHEELWRIGHT_CONFIG, then config/wheelwright.yaml.")
public final class WheelwrightCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    /** Made on its own thread while picocli builds the command line (each takes a fifth of a second or more). */
    private final CompletableFuture<ConfigLoader> loader;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT, description = "the config file")
    private Path configFile;

    @Spec
    private CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            scope = ScopeType.INHERIT,
            description = "show this help")
    private boolean help;

    private WheelwrightCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = Objects.requireNonNull(out);
        this.err = Objects.requireNonNull(err);
        this.env = Map.copyOf(env);
        this.loader = CompletableFuture.supplyAsync(() -> new ConfigLoader(this.env), WheelwrightCommand::aside);
    }

    /** Runs {@code work} on a new daemon thread (the common pool may be busy with, or reserved for, other work). */
    private static void aside(Runnable work) {
        Thread thread = new Thread(work, "wheelwright-config-loader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs one command line; returns the process exit code ({@code serve} returns when the server stops). */
    public static int run(PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        WheelwrightCommand top = new WheelwrightCommand(out, err, env);
        CommandLine line = new CommandLine(top)
                .addSubcommand(new ServeCommand(top))
                .addSubcommand(new CommandLine(new TokenCommand(top))
                        .addSubcommand(new TokenCommand.CreateToken())
                        .addSubcommand(new TokenCommand.ListTokens())
                        .addSubcommand(new TokenCommand.RevokeToken()))
                .addSubcommand(new ImportCommand(top))
                .addSubcommand(new CheckCommand(top))
                .addSubcommand(new GcCommand(top))
                .addSubcommand(new MigrateCommand(top));
        line.setOut(writer(out));
        line.setErr(writer(err));
        line.setOverwrittenOptionsAllowed(true); // the last --config (or --name, ...) wins
        line.setExpandAtFiles(false); // an argument starting with @ is a value, not a file of arguments
        line.setParameterExceptionHandler(WheelwrightCommand::usageError);
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof ConfigException) {
                err.println(e.getMessage());
                return 2;
            }
            if (e instanceof WheelwrightException) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return line.execute(args);
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true);
    }

    /** Without a command: the usage, on stderr. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return 2;
    }

    /** Prints the reason of a usage error, then the usage of the command it is in; exit code 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println(reason(e));
        failed.usage(err);
        err.flush();
        return 2;
    }

    private static String reason(ParameterException e) {
        CommandLine failed = e.getCommandLine();
        if (e instanceof CommandLine.MissingParameterException missing) {
            for (ArgSpec arg : missing.getMissing()) {
                if (arg instanceof OptionSpec option) {
                    String name = option.longestName();
                    return name + (name.equals("--config") ? " needs a file" : " needs a value");
                }
                return "usage: " + path(failed) + " " + arg.paramLabel();
            }
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (first.startsWith("-")) {
                return "unknown option " + first;
            }
            if (!failed.getSubcommands().isEmpty()) {
                return failed.getParent() == null
                        ? "unknown command: " + first
                        : "unknown " + path(failed) + " subcommand: " + first;
            }
            return failed.getCommandSpec().positionalParameters().isEmpty()
                    ? "unexpected argument " + first
                    : "usage: " + path(failed) + synopsisParameters(failed);
        }
        return e.getMessage();
    }

    /** The command's path without the program name, e.g. {@code token revoke}. */
    private static String path(CommandLine command) {
        String qualified = command.getCommandSpec().qualifiedName(" ");
        return qualified.substring(qualified.indexOf(' ') + 1);
    }

    private static String synopsisParameters(CommandLine command) {
        StringBuilder b = new StringBuilder();
        command.getCommandSpec()
                .positionalParameters()
                .forEach(p -> b.append(' ').append(p.paramLabel()));
        return b.toString();
    }

    /** The config named by {@code --config}, else {@code $WHEELWRIGHT_CONFIG}, else config/wheelwright.yaml if any. */
    WheelwrightConfig config() {
        ConfigLoader loader = loader();
        Optional<Path> file = Optional.ofNullable(configFile)
                .or(() -> Optional.ofNullable(env.get("WHEELWRIGHT_CONFIG")).map(Path::of));
        if (file.isPresent()) {
            return loader.load(file.get());
        }
        Path standard = Path.of("config", "wheelwright.yaml");
        return Files.isRegularFile(standard) ? loader.load(standard) : loader.load("");
    }

    /** The config loader of this command line, for the commands that read more than its config. */
    ConfigLoader loader() {
        try {
            return loader.join();
        } catch (CompletionException e) { // a bug, not a config problem: the loader reads no file
            if (e.getCause() instanceof RuntimeException bug) {
                throw bug;
            }
            throw e;
        }
    }

    /** The wiring of one command's process, on the config of this command line. */
    Wiring wiring() {
        return new Wiring(config(), env);
    }

    Map<String, String> env() {
        return env;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** The usage error {@code message}, for a command's own checks of its arguments. */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}

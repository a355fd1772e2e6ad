package dev.wheelwright;

import dev.wheelwright.cli.WheelwrightCommand;
import java.io.PrintStream;
import java.util.Map;

/**
 * The program: {@code wheelwright [--config FILE] COMMAND}, run by the commands of {@code cli} (picocli), which are
 * wired by {@code cli.Wiring}, the composition root.
 */
public final class Wheelwright {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    Wheelwright(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        int code = new Wheelwright(System.out, System.err, System.getenv()).run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs one command; returns the process exit code (serve returns when the server stops). */
    int run(String[] args) {
        return WheelwrightCommand.run(out, err, env, args);
    }
}

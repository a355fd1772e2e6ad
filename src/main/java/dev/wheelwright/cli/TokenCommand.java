package dev.wheelwright.cli;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.auth.TokenService;
import dev.wheelwright.config.ConfigException;
import dev.wheelwright.storage.TokenRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code token create|list|revoke}: the upload and admin tokens, in the storage of the config. */
@Command(name = "token", description = "create, list or revoke tokens", synopsisSubcommandLabel = "COMMAND")
final class TokenCommand implements Callable<Integer> {
    /** The command line; the subcommands reach it through their {@link ParentCommand} field. */
    private final WheelwrightCommand top;

    @Spec
    private CommandSpec spec;

    TokenCommand(WheelwrightCommand top) {
        this.top = Objects.requireNonNull(top);
    }

    /** Without a subcommand: a usage error. */
    @Override
    public Integer call() {
        throw WheelwrightCommand.usage(spec, "token needs a subcommand: create, list or revoke");
    }

    /** Runs {@code work} on the tokens of the config's storage, which is closed after; returns its exit code. */
    private int withTokens(ToIntFunction<TokenService> work) {
        try (Wiring wiring = top.wiring()) {
            return work.applyAsInt(wiring.tokens(wiring.openStorage()));
        }
    }

    /** {@code token create}: prints the new token once, on the last line. */
    @Command(name = "create", description = "create a token; it is printed once, on the last line")
    static final class CreateToken implements Callable<Integer> {
        @ParentCommand
        private TokenCommand parent;

        @Spec
        private CommandSpec spec;

        @Option(names = "--name", paramLabel = "N", description = "the token's name")
        private String name;

        @Option(
                names = "--scope",
                paramLabel = "read|upload|admin",
                split = ",",
                description = "what it may do; repeatable, or comma-separated")
        private List<String> scopes = new ArrayList<>();

        @Option(names = "--project", paramLabel = "GLOB", description = "the projects it may upload to")
        private String project;

        @Option(names = "--expires", paramLabel = "DAYS", description = "when it expires, in days, e.g. 90d")
        private String expires;

        @Override
        public Integer call() {
            WheelwrightCommand top = parent.top;
            try (Wiring wiring = top.wiring()) {
                Set<Scope> parsed = EnumSet.noneOf(Scope.class);
                for (String s : scopes) {
                    parsed.add(Scope.parse(s));
                }
                Optional<Duration> lifetime = Optional.ofNullable(expires).map(TokenCommand::days);
                if (name == null || parsed.isEmpty()) {
                    throw WheelwrightCommand.usage(spec, "token create needs --name and --scope");
                }
                TokenService tokens = wiring.tokens(wiring.openStorage());
                TokenService.CreatedToken created = tokens.create(name, parsed, Optional.ofNullable(project), lifetime);
                top.out()
                        .println("created token '" + created.record().name() + "' with scopes "
                                + String.join(",", created.record().scopes())
                                + created.record()
                                        .projectGlob()
                                        .map(g -> " for projects " + g)
                                        .orElse("")
                                + "; it is shown only now:");
                top.out().println(created.token());
                return 0;
            }
        }
    }

    /** {@code token list}: every token, never its secret. */
    @Command(name = "list", description = "list tokens (never their secrets)")
    static final class ListTokens implements Callable<Integer> {
        @ParentCommand
        private TokenCommand parent;

        @Override
        public Integer call() {
            PrintStream out = parent.top.out();
            return parent.withTokens(tokens -> {
                String format = "%-24s %-20s %-16s %-25s %-25s %s%n";
                out.printf(format, "NAME", "SCOPES", "PROJECTS", "CREATED", "LAST USED", "EXPIRES");
                for (TokenRecord t : tokens.list()) {
                    out.printf(
                            format,
                            t.name(),
                            String.join(",", t.scopes()),
                            t.projectGlob().orElse("*"),
                            t.created(),
                            t.lastUsed().map(Object::toString).orElse("never"),
                            t.expires().map(Object::toString).orElse("never"));
                }
                return 0;
            });
        }
    }

    /** {@code token revoke NAME}: exit 1 when there is no such token. */
    @Command(name = "revoke", description = "revoke a token")
    static final class RevokeToken implements Callable<Integer> {
        @ParentCommand
        private TokenCommand parent;

        @Parameters(paramLabel = "NAME", description = "the token's name")
        private String name;

        @Override
        public Integer call() {
            return parent.withTokens(tokens -> {
                if (!tokens.revoke(name)) {
                    parent.top.err().println("no token named " + name);
                    return 1;
                }
                parent.top.out().println("revoked token '" + name + "'");
                return 0;
            });
        }
    }

    /** {@code --expires}: a number of days, e.g. {@code 90d}. */
    private static Duration days(String value) {
        if (!value.matches("\\d{1,5}d")) {
            throw new ConfigException("--expires takes a number of days, e.g. 90d");
        }
        return Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)));
    }
}

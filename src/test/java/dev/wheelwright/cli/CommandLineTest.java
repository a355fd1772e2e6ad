package dev.wheelwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line's surface: options before or after the command, its output, exit codes 0, 1 and 2. */
class CommandLineTest {
    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("wheelwright.yaml");
        Files.writeString(config, "storage: {data-dir: \"" + dir.resolve("data") + "\"}\n");
    }

    /** One run: its exit code, stdout and stderr. */
    private record Run(int code, String out, String err) {
        List<String> lines() {
            return out.strip().lines().toList();
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WheelwrightCommand.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(),
                args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # arguments after --config FILE                     | first line on stderr
            frobnicate                                          | unknown command: frobnicate
            token                                               | token needs a subcommand: create, list or revoke
            token frobnicate                                    | unknown token subcommand: frobnicate
            token create --name ci                              | token create needs --name and --scope
            token create --scope read                           | token create needs --name and --scope
            token create --name ci --scope read --expires 9w    | --expires takes a number of days, e.g. 90d
            token create --name ci --scope read --color red     | unknown option --color
            token create --name                                 | --name needs a value
            token revoke                                        | usage: token revoke NAME
            token revoke one two                                | usage: token revoke NAME
            import                                              | usage: import DIR
            import no-such-dir                                  | not a directory: no-such-dir
            import . --threads 0                                | --threads must be between 1 and 256, not 0
            import . --threads 257                              | --threads must be between 1 and 256, not 257
            check extra                                         | unexpected argument extra
            """)
    void usage_errors_exit_2_with_the_reason_on_stderr(String args, String reason) {
        String[] argv = ("--config " + config + " " + args).split(" ");

        Run run = run(argv);

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().lines().findFirst()).hasValue(reason);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void no_command_prints_the_usage_on_stderr_and_exits_2() {
        Run run = run();

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err())
                .contains("wheelwright")
                .contains("serve")
                .contains("token")
                .contains("import")
                .contains("check")
                .contains("--config");
    }

    @Test
    void config_needs_a_file() {
        Run run = run("check", "--config");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("--config needs a file");
    }

    @Test
    void an_invalid_config_is_a_usage_error() throws Exception {
        Files.writeString(config, "server: {port: 70000}\n");

        Run run = run("--config", config.toString(), "check");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("server.port");
    }

    @Test
    void help_goes_to_stdout_and_exits_0() {
        Run top = run("--help");
        Run create = run("token", "create", "-h");

        assertThat(top.code()).isZero();
        assertThat(top.out())
                .contains("serve")
                .contains("token")
                .contains("import")
                .contains("check");
        assertThat(create.code()).isZero();
        assertThat(create.out())
                .contains("--name")
                .contains("--scope")
                .contains("--project")
                .contains("--expires");
    }

    @Test
    void creates_lists_and_revokes_a_token_with_config_before_or_after_the_command() {
        Run created = run(
                "token",
                "create",
                "--name",
                "ci",
                "--scope",
                "read,upload",
                "--scope",
                "admin",
                "--project",
                "acme-*",
                "--expires",
                "90d",
                "--config",
                config.toString());
        Run listed = run("--config", config.toString(), "token", "list");
        Run revoked = run("token", "--config=" + config, "revoke", "ci");
        Run again = run("token", "revoke", "ci", "--config", config.toString());

        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.lines()).hasSize(2);
        assertThat(created.lines().get(0))
                .isEqualTo(
                        "created token 'ci' with scopes read,upload,admin for projects acme-*; it is shown only now:");
        assertThat(created.lines().get(1)).startsWith("ww_");
        assertThat(listed.code()).isZero();
        assertThat(listed.lines().get(0)).startsWith("NAME").contains("SCOPES").contains("EXPIRES");
        assertThat(listed.lines().get(1))
                .startsWith("ci ")
                .contains("read,upload,admin")
                .contains("acme-*")
                .doesNotContain(created.lines().get(1).substring(20));
        assertThat(revoked.code()).isZero();
        assertThat(revoked.out()).isEqualTo("revoked token 'ci'" + System.lineSeparator());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).startsWith("no token named ci");
    }

    @Test
    void an_unknown_scope_is_a_command_failure() {
        Run run = run("--config", config.toString(), "token", "create", "--name", "ci", "--scope", "root");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: unknown scope 'root'");
    }

    @Test
    void import_reports_what_it_stored_and_fails_when_a_file_is_refused() throws Exception {
        Path dist = Files.createDirectories(dir.resolve("dist"));
        Files.writeString(dist.resolve("broken-1.0-py3-none-any.whl"), "not a zip");

        Run run = run("import", dist.toString(), "--config", config.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("skipped broken-1.0-py3-none-any.whl: ");
        assertThat(run.out()).isEqualTo("imported 0 files, 0 already present, 1 refused" + System.lineSeparator());
    }

    @Test
    void import_takes_its_number_of_threads_from_the_command_line() throws Exception {
        Path dist = Files.createDirectories(dir.resolve("dist"));
        for (int i = 0; i < 5; i++) {
            dev.wheelwright.testing.Wheels.simple(dist, "threaded-" + i, "1.0", "2.1");
        }

        Run one = run("import", dist.toString(), "--threads", "1", "--config", config.toString());
        Run many = run("import", dist.toString(), "--threads", "256", "--config", config.toString());

        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out()).isEqualTo("imported 5 files, 0 already present, 0 refused" + System.lineSeparator());
        assertThat(many.code()).as(many.err()).isZero();
        assertThat(many.out()).isEqualTo("imported 0 files, 5 already present, 0 refused" + System.lineSeparator());
    }
}

package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.testing.PostgresDatabase;
import dev.wheelwright.testing.PostgresService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on a PostgreSQL metadata store: {@code check}, and what a missing or wrong password does. */
class PostgresCheckCommandTest {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void check_opens_the_database_migrates_it_and_names_it() throws Exception {
        int code = run(Map.of("WW_TEST_DB_PASSWORD", postgres.database().password()), "check");

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "storage ok: 0 projects in " + postgres.database().url().substring("jdbc:".length()));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        long scripts = 0; // every migration PostgreSQL runs: the shared ones and its own
        for (String location : java.util.List.of("db/migration", "db/vendor/postgresql")) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(
                    getClass().getClassLoader().getResource(location).toURI()))) {
                scripts += files.filter(f -> f.getFileName().toString().matches("V\\d+__\\w+\\.sql"))
                        .count();
            }
        }
        assertThat(postgres.database().query("SELECT COUNT(*) FROM flyway_schema_history WHERE success"))
                .containsExactly(Long.toString(scripts));
    }

    @Test
    void tokens_created_by_the_cli_are_in_the_shared_database() throws Exception {
        int code = run(
                Map.of("WW_TEST_DB_PASSWORD", postgres.database().password()),
                "token",
                "create",
                "--name",
                "ci-" + System.nanoTime(),
                "--scope",
                "upload");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(postgres.database().query("SELECT COUNT(*) FROM tokens")).containsExactly("1");
    }

    @Test
    void an_unset_password_variable_is_a_config_error_naming_it() throws Exception {
        int code = run(Map.of(), "check");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("invalid config: storage.metadata.password-env: the environment variable WW_TEST_DB_PASSWORD"
                        + " is not set");
    }

    @Test
    void a_wrong_password_fails_with_the_servers_reason_and_never_the_password() throws Exception {
        String wrong = "wrong-password-5d1c";

        int code = run(Map.of("WW_TEST_DB_PASSWORD", wrong), "check");

        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(printed).contains("cannot open database postgresql://").doesNotContain(wrong);
    }

    private int run(Map<String, String> env, String... command) throws Exception {
        PostgresService.TestDatabase db = postgres.database();
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(config, """
                storage:
                  data-dir: "%s"
                  metadata: {type: postgres, url: "%s", user: "%s", password-env: WW_TEST_DB_PASSWORD, pool-size: 2}
                """.formatted(dir.resolve("data"), db.url(), db.user()));
        String[] args = new String[command.length + 2];
        args[0] = "--config";
        args[1] = config.toString();
        System.arraycopy(command, 0, args, 2, command.length);
        return new Wheelwright(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env)
                .run(args);
    }
}

package dev.wheelwright.cli;

import dev.wheelwright.testing.PostgresDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every {@link MigrateCommandTest} with PostgreSQL holding the target's metadata. */
class MigrateToPostgresTest extends MigrateCommandTest {
    private static final String PASSWORD_ENV = "WW_TEST_TARGET_DB_PASSWORD";

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @BeforeEach
    void emptyTarget() {
        postgres.database().empty();
    }

    @Override
    protected String targetStorage() {
        return "  metadata: {type: postgres, url: \"" + postgres.database().url() + "\", user: \""
                + postgres.database().user() + "\", password-env: " + PASSWORD_ENV + "}\n";
    }

    @Override
    protected Map<String, String> env() {
        return Map.of(PASSWORD_ENV, postgres.database().password());
    }
}

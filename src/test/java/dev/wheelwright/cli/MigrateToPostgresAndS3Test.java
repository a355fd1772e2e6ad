package dev.wheelwright.cli;

import dev.wheelwright.testing.PostgresDatabase;
import dev.wheelwright.testing.S3TestEndpoint;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every {@link MigrateCommandTest} into the scaled-out storage: metadata in PostgreSQL, artifacts in an S3 bucket. */
class MigrateToPostgresAndS3Test extends MigrateCommandTest {
    private static final String PASSWORD_ENV = "WW_TEST_TARGET_DB_PASSWORD";

    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private final S3TestEndpoint s3 = S3TestEndpoint.get();
    private String bucket;

    @BeforeEach
    void emptyTarget() {
        postgres.database().empty();
    }

    @Override
    protected String targetStorage() {
        bucket = s3.createBucket();
        return "  metadata: {type: postgres, url: \"" + postgres.database().url() + "\", user: \""
                + postgres.database().user() + "\", password-env: " + PASSWORD_ENV + "}\n"
                + "  artifacts: {type: s3, endpoint: \"" + s3.endpoint() + "\", bucket: " + bucket
                + ", region: us-east-1, path-style: true, access-key-env: WW_TEST_S3_ACCESS,"
                + " secret-key-env: WW_TEST_S3_SECRET}\n";
    }

    @Override
    protected Map<String, String> env() {
        return Map.of(
                PASSWORD_ENV,
                postgres.database().password(),
                "WW_TEST_S3_ACCESS",
                s3.accessKey(),
                "WW_TEST_S3_SECRET",
                s3.secretKey());
    }
}

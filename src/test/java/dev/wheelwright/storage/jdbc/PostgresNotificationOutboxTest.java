package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.NotificationOutbox;
import dev.wheelwright.storage.NotificationOutboxContract;
import dev.wheelwright.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox's generated key is the one table PostgreSQL creates from its own script (db/vendor/postgresql/V005). */
class PostgresNotificationOutboxTest extends NotificationOutboxContract {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private JdbcStorage storage;

    @Override
    protected NotificationOutbox newOutbox() {
        storage = postgres.openEmptied();
        return storage.outbox();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

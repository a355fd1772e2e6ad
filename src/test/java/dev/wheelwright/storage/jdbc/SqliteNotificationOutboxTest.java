package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.NotificationOutbox;
import dev.wheelwright.storage.NotificationOutboxContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteNotificationOutboxTest extends NotificationOutboxContract {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @Override
    protected NotificationOutbox newOutbox() {
        storage = JdbcStorage.openSqlite(dir.resolve("contract.db"));
        return storage.outbox();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

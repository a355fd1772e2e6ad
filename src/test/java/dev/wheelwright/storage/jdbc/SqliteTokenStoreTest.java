package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.TokenStore;
import dev.wheelwright.storage.TokenStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteTokenStoreTest extends TokenStoreContract {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @Override
    protected TokenStore newTokenStore() {
        storage = JdbcStorage.openSqlite(dir.resolve("contract.db"));
        return storage.tokens();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

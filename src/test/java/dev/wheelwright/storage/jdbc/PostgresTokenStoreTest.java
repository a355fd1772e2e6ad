package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.TokenStore;
import dev.wheelwright.storage.TokenStoreContract;
import dev.wheelwright.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresTokenStoreTest extends TokenStoreContract {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private JdbcStorage storage;

    @Override
    protected TokenStore newTokenStore() {
        storage = postgres.openEmptied();
        return storage.tokens();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.BuildStore;
import dev.wheelwright.storage.BuildStoreContract;
import dev.wheelwright.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresBuildStoreTest extends BuildStoreContract {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private JdbcStorage storage;

    @Override
    protected BuildStore newBuildStore() {
        storage = postgres.openEmptied();
        return storage.builds();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

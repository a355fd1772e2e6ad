package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.BuildStore;
import dev.wheelwright.storage.BuildStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteBuildStoreTest extends BuildStoreContract {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @Override
    protected BuildStore newBuildStore() {
        storage = JdbcStorage.openSqlite(dir.resolve("contract.db"));
        return storage.builds();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

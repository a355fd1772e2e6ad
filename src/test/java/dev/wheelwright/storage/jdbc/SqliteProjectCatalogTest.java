package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectCatalogContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteProjectCatalogTest extends ProjectCatalogContract {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @Override
    protected ProjectCatalog newCatalog() {
        storage = JdbcStorage.openSqlite(dir.resolve("contract.db"));
        return storage.catalog();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

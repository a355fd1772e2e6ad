package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.UpstreamCache;
import dev.wheelwright.storage.UpstreamCacheContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The cache and the catalog share one SQLite database here, so the contract's separation checks bite. */
class SqliteUpstreamCacheTest extends UpstreamCacheContract {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @Override
    protected UpstreamCache newCache() {
        storage = JdbcStorage.openSqlite(dir.resolve("contract.db"));
        return storage.upstreamCache();
    }

    @Override
    protected ProjectCatalog catalogBesideCache() {
        return storage.catalog();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.UpstreamCache;
import dev.wheelwright.storage.UpstreamCacheContract;
import dev.wheelwright.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cache and the catalog share one PostgreSQL database here, so the contract's separation checks bite. */
class PostgresUpstreamCacheTest extends UpstreamCacheContract {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private JdbcStorage storage;

    @Override
    protected UpstreamCache newCache() {
        storage = postgres.openEmptied();
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

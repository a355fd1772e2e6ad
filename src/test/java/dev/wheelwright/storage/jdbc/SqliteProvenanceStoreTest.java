package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.ProvenanceStore;
import dev.wheelwright.storage.ProvenanceStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteProvenanceStoreTest extends ProvenanceStoreContract {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @Override
    protected ProvenanceStore newProvenanceStore() {
        storage = JdbcStorage.openSqlite(dir.resolve("contract.db"));
        return storage.provenance();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.ProvenanceStore;
import dev.wheelwright.storage.ProvenanceStoreContract;
import dev.wheelwright.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresProvenanceStoreTest extends ProvenanceStoreContract {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private JdbcStorage storage;

    @Override
    protected ProvenanceStore newProvenanceStore() {
        storage = postgres.openEmptied();
        return storage.provenance();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }
}

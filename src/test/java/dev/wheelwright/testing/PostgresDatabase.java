package dev.wheelwright.testing;

import dev.wheelwright.storage.jdbc.JdbcStorage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A database of {@link PostgresService} for one test class ({@code @RegisterExtension static final}): created before
 * its first test, dropped after its last.
 */
public final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {
    private PostgresService.TestDatabase database;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = PostgresService.get().newDatabase();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            database.close();
        }
    }

    public PostgresService.TestDatabase database() {
        if (database == null) {
            throw new IllegalStateException("register PostgresDatabase as a static @RegisterExtension field");
        }
        return database;
    }

    /** A store on this class's database emptied of every row first: as a store on a new database. */
    public JdbcStorage openEmptied() {
        database().empty();
        return open();
    }

    /** A store (another replica, its own pool) on this class's database as it is. */
    public JdbcStorage open() {
        return open(new CompositeMeterRegistry());
    }

    public JdbcStorage open(MeterRegistry meters) {
        PostgresService.TestDatabase db = database();
        return JdbcStorage.openPostgres(db.url(), db.user(), db.password(), meters);
    }
}

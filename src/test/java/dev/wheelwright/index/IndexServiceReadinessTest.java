package dev.wheelwright.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.storage.jdbc.JdbcStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness ({@code /readyz}) is the index asking its metadata store; the route only renders the answer. */
class IndexServiceReadinessTest {
    @TempDir
    Path dir;

    @Test
    void is_ready_while_the_metadata_store_answers() {
        try (JdbcStorage storage = JdbcStorage.openSqlite(dir.resolve("wheelwright.db"))) {
            assertThat(IndexService.local(
                                    storage.catalog(),
                                    new dev.wheelwright.storage.InMemoryBlobStore(),
                                    storage.provenance())
                            .ready())
                    .isTrue();
        }
    }

    @Test
    void is_not_ready_once_the_metadata_store_fails() {
        JdbcStorage storage = JdbcStorage.openSqlite(dir.resolve("wheelwright.db"));
        IndexService index = IndexService.local(
                storage.catalog(), new dev.wheelwright.storage.InMemoryBlobStore(), storage.provenance());
        storage.close();

        assertThat(index.ready()).isFalse();
    }
}

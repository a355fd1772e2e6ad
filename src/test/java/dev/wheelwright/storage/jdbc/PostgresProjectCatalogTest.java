package dev.wheelwright.storage.jdbc;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectCatalogContract;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StorageFixtures;
import dev.wheelwright.testing.PostgresDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresProjectCatalogTest extends ProjectCatalogContract {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    private JdbcStorage storage;

    @Override
    protected ProjectCatalog newCatalog() {
        storage = postgres.openEmptied();
        return storage.catalog();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    /**
     * Another replica (another pool on the same database) writes: the change it notifies moves this one's stamp within
     * the notification's delivery (the heartbeat of {@link PostgresChangeFeed#HEARTBEAT_MILLIS} bounds it should one be
     * lost), and the project is readable then.
     */
    @Test
    void the_change_stamp_moves_when_another_replica_writes() {
        try (JdbcStorage replica = postgres.open()) {
            awaitPushed();
            for (int round = 0; round < 20; round++) {
                long before = store.changeStamp();
                assertThat(store.changeStamp())
                        .as("round %d, nothing written", round)
                        .isEqualTo(before);

                replica.catalog().addFile(StorageFixtures.wheel("other-" + round, "1.0", T0), "other-" + round, "");

                int r = round;
                await().atMost(Duration.ofMillis(PostgresChangeFeed.HEARTBEAT_MILLIS * 2))
                        .pollInterval(Duration.ofMillis(1))
                        .untilAsserted(() -> assertThat(store.changeStamp())
                                .as("round %d", r)
                                .isNotEqualTo(before));
                assertThat(store.project(StorageFixtures.name("other-" + round)))
                        .isPresent();
            }
        }
    }

    /** What this replica writes is in its stamp at the very next call, before its own notification comes back. */
    @Test
    void the_change_stamp_moves_at_once_when_this_replica_writes() {
        awaitPushed();
        for (int round = 0; round < 20; round++) {
            long before = store.changeStamp();

            store.addFile(StorageFixtures.wheel("own-" + round, "1.0", T0), "own-" + round, "");

            assertThat(store.changeStamp()).as("round %d", round).isNotEqualTo(before);
        }
    }

    /** While the database pushes its changes, a page request asks it nothing: 10,000 stamps, no query. */
    @Test
    void a_quiet_store_answers_the_stamp_without_asking_the_database() {
        store.addFile(StorageFixtures.wheel("quiet", "1.0", T0), "quiet", "");
        awaitPushed();
        long quiet = store.changeStamp();
        long asked = storage.database().stampQueries();

        for (int i = 0; i < 10_000; i++) {
            assertThat(store.changeStamp()).isEqualTo(quiet);
        }

        assertThat(storage.database().stampQueries()).isEqualTo(asked);
    }

    /**
     * The listening session dropped (a restart, a failover, an idle-session killer): every call asks the database
     * meanwhile, so another replica's write is seen at the very next call, and the feed listens again by itself.
     */
    @Test
    void without_its_listening_session_the_stamp_is_asked_until_it_listens_again() {
        try (JdbcStorage replica = postgres.open()) {
            awaitPushed();
            assertThat(killListeners()).isPositive();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !storage.database().changesPushed());

            long before = store.changeStamp();
            replica.catalog().addFile(StorageFixtures.wheel("while-down", "1.0", T0), "while-down", "");
            long asked = storage.database().stampQueries();

            assertThat(store.changeStamp()).isNotEqualTo(before);
            assertThat(storage.database().stampQueries()).isGreaterThan(asked);

            awaitPushed();
            long after = store.changeStamp();
            replica.catalog().addFile(StorageFixtures.wheel("listening-again", "1.0", T0), "listening-again", "");
            await().atMost(Duration.ofMillis(PostgresChangeFeed.HEARTBEAT_MILLIS * 2))
                    .pollInterval(Duration.ofMillis(1))
                    .untilAsserted(() -> assertThat(store.changeStamp()).isNotEqualTo(after));
        }
    }

    private void awaitPushed() {
        store.changeStamp(); // the first call starts the feed
        await().atMost(Duration.ofSeconds(10)).until(() -> storage.database().changesPushed());
    }

    private static int killListeners() {
        return Integer.parseInt(postgres.database()
                .query("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND application_name = '"
                        + PostgresDialect.LISTENER_NAME + "'")
                .get(0));
    }

    @Test
    void the_change_stamp_fails_once_the_storage_is_closed() {
        storage.close();

        assertThatThrownBy(() -> store.changeStamp()).isInstanceOf(StorageException.class);
    }
}

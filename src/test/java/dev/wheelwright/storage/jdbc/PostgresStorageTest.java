package dev.wheelwright.storage.jdbc;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.concurrently;
import static dev.wheelwright.storage.StorageFixtures.name;
import static dev.wheelwright.storage.StorageFixtures.stored;
import static dev.wheelwright.storage.StorageFixtures.token;
import static dev.wheelwright.storage.StorageFixtures.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.storage.TokenRecord;
import dev.wheelwright.testing.PostgresDatabase;
import dev.wheelwright.testing.PostgresService;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the PostgreSQL storage does beyond the port contracts: migrations, replicas racing, byte order, secrets. */
class PostgresStorageTest {
    @RegisterExtension
    static final PostgresDatabase postgres = new PostgresDatabase();

    @Test
    void migrates_a_new_database_from_empty_once_with_the_shared_and_its_own_scripts() throws Exception {
        try (PostgresService.TestDatabase fresh = PostgresService.get().newDatabase()) {
            try (JdbcStorage first = open(fresh)) {
                assertThat(first.pendingMigrations()).isZero();
                first.catalog().addFile(wheel("demo", "1.0", T0), "demo", "");
            }
            try (JdbcStorage again = open(fresh)) {
                assertThat(again.pendingMigrations()).isZero();
                assertThat(again.catalog().files(name("demo"))).hasSize(1);
            }

            assertThat(fresh.query("""
                            SELECT version || ' ' || script || ' ' || success FROM flyway_schema_history
                            ORDER BY installed_rank"""))
                    .containsExactlyElementsOf(
                            postgresMigrations().stream().map(m -> m + " true").toList())
                    .contains("007 V007__revision_and_byte_order.sql true");
        }
    }

    @Test
    void replicas_starting_together_on_a_new_database_migrate_it_once() throws Exception {
        try (PostgresService.TestDatabase fresh = PostgresService.get().newDatabase()) {
            List<JdbcStorage> replicas = concurrently(4, thread -> open(fresh));
            try {
                replicas.get(0).catalog().addFile(wheel("demo", "1.0", T0), "demo", "");
                assertThat(replicas.get(3).catalog().files(name("demo"))).hasSize(1);
            } finally {
                replicas.forEach(JdbcStorage::close);
            }

            assertThat(fresh.query("SELECT COUNT(*) FROM flyway_schema_history"))
                    .containsExactly(Integer.toString(postgresMigrations().size()));
        }
    }

    /**
     * #11: two replicas (two pools) and 16 threads race to record one filename, each with other bytes (its own
     * sha256 and blob), 50 filenames in a row: each time exactly one wins, every other attempt gets the winner's
     * complete row back (the upload service's 409 or no-op), nothing fails, nothing is half-written.
     */
    @Test
    void replicas_racing_on_one_filename_end_with_exactly_one_winner_every_time() throws Exception {
        int threads = 16;
        int rounds = 50;
        int winners = 0;
        int conflicts = 0;
        try (JdbcStorage a = postgres.openEmptied();
                JdbcStorage b = postgres.open()) {
            for (int round = 0; round < rounds; round++) {
                String version = "1." + round;
                List<Optional<StoredFile>> results = concurrently(
                        threads,
                        thread -> (thread % 2 == 0 ? a : b)
                                .catalog()
                                .addFile(attempt(version, thread), "Demo", "attempt " + thread));

                List<Integer> won = IntStream.range(0, threads)
                        .filter(t -> results.get(t).isEmpty())
                        .boxed()
                        .toList();
                assertThat(won).as("winners of round %d", round).hasSize(1);
                StoredFile recorded = stored(attempt(version, won.get(0)));
                assertThat(results)
                        .as("round %d", round)
                        .filteredOn(Optional::isPresent)
                        .hasSize(threads - 1)
                        .allSatisfy(r -> assertThat(r).contains(recorded));
                assertThat(b.catalog().file(name("demo"), recorded.filename())).contains(recorded);
                winners += won.size();
                conflicts += threads - won.size();
            }

            assertThat(a.catalog().files(name("demo"))).hasSize(rounds);
            assertThat(b.catalog().project(name("demo")).orElseThrow().revision())
                    .isEqualTo(rounds); // the winners' upserts only
        }
        assertThat(winners).isEqualTo(rounds);
        assertThat(conflicts).isEqualTo(rounds * (threads - 1));
    }

    /** The upload of thread {@code thread}: the same filename, other bytes. */
    private static StoredFile attempt(String version, int thread) {
        StoredFile w = wheel("demo", version, T0.plusSeconds(thread));
        String sha = String.format("%064x", thread + 1);
        return new StoredFile(
                w.project(),
                w.version(),
                w.filename(),
                w.packagetype(),
                w.size() + thread,
                sha,
                BlobKey.of("sha256/" + sha.substring(0, 2) + "/" + sha),
                w.requiresPython(),
                w.metadataSha256(),
                w.metadataBlob(),
                w.uploadTime(),
                Optional.empty(),
                "replica-" + (thread % 2 == 0 ? "a" : "b") + "-thread-" + thread);
    }

    @Test
    void writers_of_two_replicas_on_different_rows_all_succeed() throws Exception {
        int perThread = 25;
        AtomicInteger failures = new AtomicInteger();
        try (JdbcStorage a = postgres.openEmptied();
                JdbcStorage b = postgres.open()) {
            concurrently(8, thread -> {
                JdbcStorage mine = thread % 2 == 0 ? a : b;
                for (int i = 0; i < perThread; i++) {
                    StoredFile w = wheel("demo", thread + "." + i, T0);
                    if (mine.catalog().addFile(w, "demo", "").isPresent()
                            || !mine.catalog().setYanked(name("demo"), w.filename(), Optional.of("x"))) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            });

            assertThat(failures).hasValue(0);
            assertThat(a.catalog().files(name("demo"))).hasSize(8 * perThread);
            assertThat(b.catalog().project(name("demo")).orElseThrow().revision())
                    .isEqualTo(2L * 8 * perThread);
        }
    }

    /** Whatever the database's locale (here ICU en-US, which sorts "_x" before "a" before "B"), names sort by bytes. */
    @Test
    void names_sort_byte_by_byte_as_in_sqlite_whatever_the_database_locale() {
        try (PostgresService.TestDatabase icu = PostgresService.get()
                        .newDatabase("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
                JdbcStorage store = open(icu)) {
            for (String tokenName : List.of("a", "B", "_x", "Z", "ab", "a-b")) {
                store.tokens()
                        .addToken(token(
                                "id-" + tokenName,
                                tokenName,
                                List.of("read"),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()));
            }

            assertThat(store.tokens().tokens())
                    .extracting(TokenRecord::name)
                    .containsExactly("B", "Z", "_x", "a", "a-b", "ab");
        }
    }

    @Test
    void a_wrong_password_is_a_storage_failure_that_does_not_repeat_the_password() {
        PostgresService.TestDatabase db = postgres.database();
        String wrong = "not-the-password-7f3e";

        assertThatThrownBy(() -> JdbcStorage.openPostgres(db.url(), db.user(), wrong, new CompositeMeterRegistry()))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(wrong);
                    }
                })
                .hasMessageContaining("postgresql://");
    }

    /**
     * A restart or failover drops every session, the listening one included: the change stamp asks again on a new
     * connection (or listens again), no failure, and the change another replica made is seen.
     */
    @Test
    void the_change_stamp_survives_the_server_dropping_its_connection() {
        try (JdbcStorage store = postgres.openEmptied();
                JdbcStorage replica = postgres.open()) {
            long before = store.catalog().changeStamp();
            replica.catalog().addFile(wheel("demo", "1.0", T0), "demo", "");

            assertThat(postgres.database().query("""
                                    SELECT COUNT(pg_terminate_backend(pid)) > 0 FROM pg_stat_activity
                                    WHERE datname = current_database() AND pid <> pg_backend_pid()
                                        AND application_name IN ('wheelwright', 'wheelwright-changes')""")).containsExactly("t");

            await().atMost(Duration.ofMillis(2 * PostgresChangeFeed.HEARTBEAT_MILLIS))
                    .untilAsserted(
                            () -> assertThat(store.catalog().changeStamp()).isNotEqualTo(before));
        }
    }

    @Test
    void a_closed_store_refuses_work_with_a_storage_failure() {
        JdbcStorage store = postgres.open();

        store.close();

        assertThatThrownBy(() -> store.catalog().projects()).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.catalog().changeStamp()).isInstanceOf(StorageException.class);
    }

    private static JdbcStorage open(PostgresService.TestDatabase db) {
        return JdbcStorage.openPostgres(db.url(), db.user(), db.password(), new CompositeMeterRegistry());
    }

    /** "version script" of every migration PostgreSQL runs (the shared ones and its own), in order. */
    private static List<String> postgresMigrations() throws Exception {
        List<String> scripts = new java.util.ArrayList<>();
        for (String location : List.of("db/migration", "db/vendor/postgresql")) {
            java.nio.file.Path folder = java.nio.file.Path.of(PostgresStorageTest.class
                    .getClassLoader()
                    .getResource(location)
                    .toURI());
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(folder)) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("V\\d+__\\w+\\.sql"))
                        .forEach(scripts::add);
            }
        }
        return scripts.stream()
                .sorted()
                .map(n -> n.substring(1, n.indexOf("__")) + " " + n)
                .toList();
    }
}

package dev.wheelwright.storage.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What differs between the SQL databases {@link JdbcStorage} runs on: how connections are opened and set up, how a
 * write transaction takes its lock, how the change stamp is read, and the migrations only it runs. All other SQL in
 * this package, the shared migration scripts included, is portable (TEXT, BIGINT and INTEGER columns; epoch
 * microseconds; 0/1 booleans; NULL for absent values; {@code INSERT .. ON CONFLICT}). Implementations are immutable
 * and thread-safe.
 */
interface SqlDialect {
    /** The database as messages name it, without secrets or full paths (e.g. the file name). */
    String name();

    /**
     * The unpooled source of connections: each {@code getConnection()} opens a new connection with every session
     * setting applied, in autocommit mode. {@link JdbcStorage} pools it and runs the migrations over it, so unless
     * Flyway locks this database itself while it migrates (it does PostgreSQL, with an advisory lock), its
     * connections must also make a transaction begun with {@code setAutoCommit(false)} exclude other writers from the
     * start, as {@link #beginWrite} does.
     */
    DataSource connections();

    /** How many connections the pool keeps open. */
    int poolSize();

    /** How long an operation waits for a free pooled connection before it fails; 0: as long as it takes. */
    default long poolWaitMillis() {
        return 0;
    }

    /**
     * The classpath folder of the migrations only this database runs, beside the shared {@code db/migration}: what
     * has no portable spelling (a generated key) or what the other database has built in.
     */
    String migrationLocation();

    /**
     * Starts a write transaction that holds the database's write lock from the start, waiting for other writers
     * (in this or another process) rather than failing, so a read-then-write inside it cannot be overtaken.
     */
    void beginWrite(Connection connection) throws SQLException;

    /** Commits the transaction {@link #beginWrite} started and returns the connection to autocommit. */
    void commit(Connection connection) throws SQLException;

    /** Rolls back the transaction {@link #beginWrite} started and returns the connection to autocommit. */
    void rollback(Connection connection) throws SQLException;

    /**
     * A statement answering one number that changes whenever another connection (of this or another process) has
     * committed to the database since this connection last asked; cheap enough for every request (no table scan).
     */
    String changeStampQuery();

    /**
     * A feed of the change stamps other connections commit, when the database pushes them; empty: the stamp is asked
     * (or known from {@link #commitFiles}) on every call. Not started until first asked.
     */
    default Optional<ChangeFeed> changeFeed() {
        return Optional.empty();
    }

    /**
     * Files every commit writes to (through {@code write}, so it moves their modification time or size), when the
     * database is local files: while none of them changed since well after the last {@link #changeStampQuery}, the
     * stamp cannot have moved and is not asked again. Empty: the stamp is asked every time.
     */
    default List<Path> commitFiles() {
        return List.of();
    }

    /**
     * A statement to run after rows with explicit keys were copied into {@code table} (see {@link TableCopy}), so
     * that keys the database generates afterwards do not collide with them; empty when none is needed.
     */
    default Optional<String> afterRowsCopied(String table) {
        return Optional.empty();
    }

    /** Whether the failure is a violated primary key or unique constraint. */
    boolean isUniqueViolation(SQLException e);
}

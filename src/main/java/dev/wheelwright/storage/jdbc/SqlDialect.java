package dev.wheelwright.storage.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * What differs between the SQL databases {@link JdbcStorage} runs on: how connections are opened and set up, how a
 * write transaction takes its lock, and the few statements whose syntax is not portable. All other SQL in this
 * package, the migration scripts included, is portable (TEXT, BIGINT and INTEGER columns; epoch microseconds; 0/1
 * booleans; NULL for absent values). Implementations are immutable and thread-safe.
 */
interface SqlDialect {
    /** The database as messages name it, without secrets or full paths (e.g. the file name). */
    String name();

    /**
     * The unpooled source of connections: each {@code getConnection()} opens a new connection with every session
     * setting applied, in autocommit mode. {@link JdbcStorage} pools it and runs the migrations over it, so its
     * connections must also make a transaction begun with {@code setAutoCommit(false)} exclude other writers from
     * the start, as {@link #beginWrite} does.
     */
    DataSource connections();

    /** How many connections the pool keeps open. */
    int poolSize();

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
     * Inserts a project ({@code name, display_name, summary, created_us} as parameters 1-4, revision 1) or, when
     * the name exists, sets its display name and summary and increments its revision.
     */
    String upsertProject();

    /**
     * A statement answering one number that changes whenever another connection (of this or another process) has
     * committed to the database since this connection last asked; it reads no table.
     */
    String changeStampQuery();

    /**
     * Files every commit writes to (through {@code write}, so it moves their modification time or size), when the
     * database is local files: while none of them changed since well after the last {@link #changeStampQuery}, the
     * stamp cannot have moved and is not asked again. Empty: the stamp is asked every time.
     */
    default List<Path> commitFiles() {
        return List.of();
    }

    /** Whether the failure is a violated primary key or unique constraint. */
    boolean isUniqueViolation(SQLException e);
}

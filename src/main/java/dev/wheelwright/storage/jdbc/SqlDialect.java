package dev.wheelwright.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between the SQL databases a {@link JdbcMetadataStore} runs on: session setup, how a write
 * transaction takes its lock, and the few statements whose syntax is not portable. All other SQL in this package
 * is portable (TEXT, BIGINT and INTEGER columns; epoch microseconds; 0/1 booleans; NULL for absent values).
 * Implementations are stateless and thread-safe.
 */
interface SqlDialect {
    /** Applies the session settings every new connection needs, before any other statement. */
    void configure(Connection connection) throws SQLException;

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

    /** Whether the failure is a violated primary key or unique constraint. */
    boolean isUniqueViolation(SQLException e);
}

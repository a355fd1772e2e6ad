package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * One pooled database as the JDBC ports use it: each operation borrows one connection; reads run in autocommit,
 * writes in one {@link SqlDialect#beginWrite} transaction each. Writers of this instance (of every port) queue on
 * one lock so they do not spin on the database's lock; writers in other processes are serialized by the database
 * itself. Thread-safe.
 */
final class Database {
    /** Work on one borrowed connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource pool;
    private final SqlDialect dialect;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    Database(DataSource pool, SqlDialect dialect) {
        this.pool = Objects.requireNonNull(pool);
        this.dialect = Objects.requireNonNull(dialect);
    }

    SqlDialect dialect() {
        return dialect;
    }

    /** Runs the work in autocommit; a failure (a closed pool included) is a {@link StorageException}. */
    <T> T read(String failure, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException(failure, e);
        }
    }

    /** The first row {@code sql} finds with {@code params} (bound in order), mapped; in autocommit. */
    <T> Optional<T> first(String failure, String sql, Rows.RowMapper<T> mapper, String... params) {
        return read(failure, c -> Rows.first(c, sql, mapper, params));
    }

    /** Every row {@code sql} finds with {@code params} (bound in order), mapped; in autocommit. */
    <T> List<T> list(String failure, String sql, Rows.RowMapper<T> mapper, String... params) {
        return read(failure, c -> Rows.list(c, sql, mapper, params));
    }

    /** Whether {@code sql} finds a row with {@code params} (bound in order); it reads one row at most. */
    boolean exists(String failure, String sql, String... params) {
        return read(failure, c -> {
            try (PreparedStatement query = c.prepareStatement(sql)) {
                Rows.bind(query, params);
                query.setMaxRows(1);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /**
     * Adds a row unless one is there: in one write transaction, {@code existing} looks for it and {@code insert}
     * runs only when it finds none. Returns the row that was there, empty when this call added it. A unique
     * violation means a concurrent writer added it first (a database whose write transactions do not exclude each
     * other): that row is returned. Other failures are a {@link StorageException} with {@code failure}.
     */
    <T> Optional<T> addUnlessPresent(
            String failure, String readFailure, SqlWork<Optional<T>> existing, SqlWork<?> insert) {
        try {
            return write(c -> {
                Optional<T> found = existing.run(c);
                if (found.isEmpty()) {
                    insert.run(c);
                }
                return found;
            });
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                Optional<T> winner = read(readFailure, existing);
                if (winner.isPresent()) {
                    return winner;
                }
            }
            throw new StorageException(failure, e);
        }
    }

    /** Runs the work in one write transaction: committed when it returns, rolled back when it throws. */
    <T> T write(SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try (Connection connection = pool.getConnection()) {
            dialect.beginWrite(connection);
            try {
                T result = work.run(connection);
                dialect.commit(connection);
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    dialect.rollback(connection);
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        } finally {
            writeLock.unlock();
        }
    }
}

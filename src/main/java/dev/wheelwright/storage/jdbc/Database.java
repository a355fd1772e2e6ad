package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
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
    private final ReentrantLock stampLock = new ReentrantLock();
    private Connection stampConnection; // guarded by stampLock; its own connection, so every commit moves its stamp
    private PreparedStatement stampQuery;
    private boolean closed;

    Database(DataSource pool, SqlDialect dialect) {
        this.pool = Objects.requireNonNull(pool);
        this.dialect = Objects.requireNonNull(dialect);
    }

    SqlDialect dialect() {
        return dialect;
    }

    /**
     * The dialect's change stamp, asked on one connection of its own that never writes, so that a commit by any pooled
     * connection or any other process moves it.
     */
    long changeStamp() {
        stampLock.lock();
        try {
            if (closed) {
                throw new StorageException("the database is closed");
            }
            if (stampConnection == null) {
                stampConnection = dialect.connections().getConnection();
                stampQuery = stampConnection.prepareStatement(dialect.changeStampQuery());
            }
            try (ResultSet row = stampQuery.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            closeStampConnection();
            throw new StorageException("cannot read the database's change stamp", e);
        } finally {
            stampLock.unlock();
        }
    }

    /** Closes the stamp's own connection; later calls of {@link #changeStamp} fail. */
    void close() {
        stampLock.lock();
        try {
            closed = true;
            closeStampConnection();
        } finally {
            stampLock.unlock();
        }
    }

    private void closeStampConnection() {
        if (stampConnection != null) {
            try {
                stampConnection.close();
            } catch (SQLException e) {
                // closing a connection we no longer use: nothing else to do
            }
            stampConnection = null;
            stampQuery = null;
        }
    }

    /** Runs the work in autocommit; a failure (a closed pool included) is a {@link StorageException}. */
    <T> T read(String failure, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
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

package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageErrors;
import dev.wheelwright.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
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
    private final Counter readErrors;
    private final Counter writeErrors;

    Database(DataSource pool, SqlDialect dialect, MeterRegistry meters) {
        this.pool = Objects.requireNonNull(pool);
        this.dialect = Objects.requireNonNull(dialect);
        this.readErrors = StorageErrors.counter(meters, "metadata", "read");
        this.writeErrors = StorageErrors.counter(meters, "metadata", "write");
    }

    SqlDialect dialect() {
        return dialect;
    }

    /** Runs the work in autocommit; a failure (a closed pool included) is a {@link StorageException}. */
    <T> T read(String failure, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            readErrors.increment();
            throw new StorageException(failure, e);
        }
    }

    /**
     * Runs the work in one write transaction: committed when it returns, rolled back when it throws. A failure of the
     * database (not a unique-key violation, which the ports turn into answers) is counted as a storage error.
     */
    <T> T write(SqlWork<T> work) throws SQLException {
        try {
            return writeLocked(work);
        } catch (SQLException e) {
            if (!dialect.isUniqueViolation(e)) {
                writeErrors.increment();
            }
            throw e;
        }
    }

    private <T> T writeLocked(SqlWork<T> work) throws SQLException {
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

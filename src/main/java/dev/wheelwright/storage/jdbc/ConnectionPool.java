package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of connections opened up front; a caller takes one for one operation and gives it back. Thread-safe.
 * {@link #close} closes every connection; call it once no operation is running.
 */
final class ConnectionPool implements AutoCloseable {
    /** Opens one configured connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all;
    private volatile boolean closed;

    ConnectionPool(int size, Opener opener) throws SQLException {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + size);
        }
        this.idle = new ArrayBlockingQueue<>(size);
        List<Connection> opened = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                opened.add(opener.open());
            }
        } catch (SQLException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
        this.all = List.copyOf(opened);
        idle.addAll(all);
    }

    /** Waits for an idle connection; give it back with {@link #give} in a finally block. */
    Connection take() {
        if (closed) {
            throw new StorageException("the metadata store is closed");
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for a database connection", e);
        }
    }

    void give(Connection connection) {
        idle.add(connection);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        StorageException failure = new StorageException("cannot close the database connections");
        closeAll(all, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private static void closeAll(List<Connection> connections, Exception failures) {
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (SQLException e) {
                failures.addSuppressed(e);
            }
        }
    }
}

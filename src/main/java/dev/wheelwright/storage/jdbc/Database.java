package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageErrors;
import dev.wheelwright.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    /** Sets the parameters of one statement. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private final DataSource pool;
    private final SqlDialect dialect;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ReentrantLock stampLock = new ReentrantLock();
    private Connection stampConnection; // guarded by stampLock; its own connection, so every commit moves its stamp
    private PreparedStatement stampQuery;
    private boolean closed;
    private volatile StampSeen lastStamp;
    private final AtomicLong stampQueries = new AtomicLong();
    /** The number of the last stamp query started; {@link #lastStampQuery} is that of the last answered (lock held). */
    private final AtomicLong stampQueriesStarted = new AtomicLong();

    private long lastStampQuery;

    /** The database's pushed stamps, or null when it pushes none. */
    private final ChangeFeed feed;
    /** Write transactions this instance has ended; its own commits must be in a stamp it answers at once. */
    private final AtomicLong localCommits = new AtomicLong();
    /** The feed's stamp covers this instance's commits up to this count (a query after them was offered to it). */
    private final AtomicLong feedCoversCommits = new AtomicLong();

    /**
     * How much later than a file's modification time the stamp must have been asked for an unchanged file to prove
     * that no commit came since: more than the coarsest file time granularity of Linux (one jiffy, at most 10 ms).
     */
    private static final long MTIME_MARGIN_MILLIS = 50;

    /** The last stamp asked, the commit files as they were just before, and when it was asked (wall clock). */
    private record StampSeen(long stamp, List<FileState> files, long askedAtMillis) {}

    /** A file's modification time and size; a missing file is (-1, -1). */
    private record FileState(long modifiedMillis, long modifiedNanos, long size) {
        static List<FileState> of(List<Path> files) {
            List<FileState> states = new ArrayList<>(files.size());
            for (Path f : files) {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    states.add(new FileState(
                            a.lastModifiedTime().toMillis(),
                            a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                            a.size()));
                } catch (IOException e) {
                    states.add(new FileState(-1, -1, -1));
                }
            }
            return states;
        }

        static long newest(List<FileState> states) {
            long newest = Long.MIN_VALUE;
            for (FileState s : states) {
                newest = Math.max(newest, s.modifiedMillis());
            }
            return newest;
        }
    }

    private final Counter readErrors;
    private final Counter writeErrors;

    Database(DataSource pool, SqlDialect dialect, MeterRegistry meters) {
        this.pool = Objects.requireNonNull(pool);
        this.dialect = Objects.requireNonNull(dialect);
        this.readErrors = StorageErrors.counter(meters, "metadata", "read");
        this.writeErrors = StorageErrors.counter(meters, "metadata", "write");
        this.feed = dialect.changeFeed().orElse(null);
    }

    SqlDialect dialect() {
        return dialect;
    }

    /**
     * The dialect's change stamp, asked on one connection of its own that never writes, so that a commit by any pooled
     * connection or any other process moves it.
     */
    long changeStamp() {
        if (feed != null) {
            return fedStamp();
        }
        StampSeen seen = lastStamp;
        List<Path> files = dialect.commitFiles();
        if (seen != null && !files.isEmpty()) {
            List<FileState> now = FileState.of(files);
            if (now.equals(seen.files()) && seen.askedAtMillis() > FileState.newest(now) + MTIME_MARGIN_MILLIS) {
                return seen.stamp(); // no commit since: it would have moved a file's time past the one seen
            }
        }
        return askStamp(files);
    }

    /**
     * The feed's stamp while it is live and covers this instance's own commits (so a write here is on the next page
     * here); otherwise the database is asked, and its answer offered to the feed.
     */
    private long fedStamp() {
        long commits = localCommits.get();
        OptionalLong pushed = feed.stamp();
        if (pushed.isPresent() && feedCoversCommits.get() >= commits) {
            return pushed.getAsLong();
        }
        long asked = askStamp(dialect.commitFiles()); // started after the commits counted: it includes them
        feed.offer(asked);
        feedCoversCommits.accumulateAndGet(commits, Math::max);
        return feed.stamp().orElse(asked);
    }

    /**
     * Asks the database, one query at a time. Callers that queue while a query runs share the next one: a caller may
     * take the answer of a query that started after it called (so it sees every commit made before its call), which
     * under load answers many page requests with one round trip instead of one each.
     */
    private long askStamp(List<Path> files) {
        long arrival = stampQueriesStarted.get();
        stampLock.lock();
        try {
            StampSeen seen = lastStamp;
            if (seen != null && lastStampQuery > arrival) {
                return seen.stamp(); // asked by a query that started after this call
            }
            try {
                return askStampLocked(files);
            } catch (SQLException first) {
                // a connection the server dropped (a restart, a failover) fails once: ask again on a new one
                closeStampConnection();
                try {
                    return askStampLocked(files);
                } catch (SQLException again) {
                    again.addSuppressed(first);
                    closeStampConnection();
                    throw new StorageException("cannot read the database's change stamp", again);
                }
            }
        } finally {
            stampLock.unlock();
        }
    }

    private long askStampLocked(List<Path> files) throws SQLException {
        if (closed) {
            throw new StorageException("the database is closed");
        }
        if (stampConnection == null) {
            stampConnection = dialect.connections().getConnection();
            stampQuery = stampConnection.prepareStatement(dialect.changeStampQuery());
        }
        List<FileState> before = FileState.of(files); // stated before asking: a later commit moves them
        long askedAt = System.currentTimeMillis();
        stampQueries.incrementAndGet();
        long query = stampQueriesStarted.incrementAndGet();
        try (ResultSet row = stampQuery.executeQuery()) {
            row.next();
            long stamp = row.getLong(1);
            lastStamp = new StampSeen(stamp, before, askedAt);
            lastStampQuery = query;
            return stamp;
        }
    }

    /** Whether the stamp is known from the database's pushed changes right now rather than asked (tests). */
    boolean changesPushed() {
        return feed != null && feed.stamp().isPresent();
    }

    /** How often the stamp was asked of the database rather than known from the commit files (tests). */
    long stampQueries() {
        return stampQueries.get();
    }

    /** Closes the stamp's own connection; later calls of {@link #changeStamp} fail. */
    void close() {
        stampLock.lock();
        try {
            closed = true;
            lastStamp = null;
            closeStampConnection();
        } finally {
            stampLock.unlock();
        }
        if (feed != null) {
            feed.close();
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
            readErrors.increment();
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
     * Runs one {@code INSERT}, {@code UPDATE} or {@code DELETE} in a write transaction of its own, with the parameters
     * {@code binder} sets; returns how many rows it changed. A failure is a {@link StorageException} with
     * {@code failure}.
     */
    int update(String failure, String sql, Binder binder) {
        try {
            return write(c -> {
                try (PreparedStatement statement = c.prepareStatement(sql)) {
                    binder.bind(statement);
                    return statement.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StorageException(failure, e);
        }
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
                try {
                    dialect.commit(connection);
                } finally {
                    localCommits.incrementAndGet(); // even a commit that failed may have happened
                }
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

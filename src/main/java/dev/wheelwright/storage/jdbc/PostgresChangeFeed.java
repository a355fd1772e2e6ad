package dev.wheelwright.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code LISTEN}/{@code NOTIFY} as a {@link ChangeFeed}: every write transaction notifies
 * {@value #CHANNEL} with the revision it bumped (delivered to listeners when it commits), and one thread per process
 * listens on a connection of its own. It reads the stamp itself right after {@code LISTEN} and then once per heartbeat,
 * which also proves the connection alive: a feed that has not had an answer for {@link #STALE_AFTER_MILLIS} is not live
 * until it has, and its callers ask the database on every call meanwhile.
 */
final class PostgresChangeFeed implements ChangeFeed {
    /** The channel every write transaction notifies; its payload is the new revision in decimal. */
    static final String CHANNEL = "wheelwright_revision";

    static final long HEARTBEAT_MILLIS = 1_000;
    static final long STALE_AFTER_MILLIS = 3 * HEARTBEAT_MILLIS;
    private static final long RETRY_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(PostgresChangeFeed.class);

    private final DataSource connections;
    private final String stampQuery;

    /**
     * A feed listening on connections from {@code connections} (each a new session, not pooled), reading the stamp
     * with {@code stampQuery}.
     */
    PostgresChangeFeed(DataSource connections, String stampQuery) {
        this.connections = Objects.requireNonNull(connections);
        this.stampQuery = Objects.requireNonNull(stampQuery);
    }

    // the listener's state: the newest stamp seen, and whether (and since when) its session answers
    private final AtomicLong stamp = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean listening;
    private volatile long answeredAtNanos;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile Thread listener;

    @Override
    public OptionalLong stamp() {
        if (!started.get() && started.compareAndSet(false, true) && !closed) {
            Thread t = new Thread(this::listen, "wheelwright-change-feed");
            t.setDaemon(true);
            listener = t;
            t.start();
        }
        if (!listening || System.nanoTime() - answeredAtNanos > TimeUnit.MILLISECONDS.toNanos(STALE_AFTER_MILLIS)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(stamp.get());
    }

    @Override
    public void offer(long seen) {
        stamp.accumulateAndGet(seen, Math::max);
    }

    @Override
    public void close() {
        closed = true;
        listening = false;
        closeQuietly(connection);
        Thread t = listener;
        if (t != null) {
            t.interrupt();
            try {
                t.join(RETRY_MILLIS + HEARTBEAT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void listen() {
        boolean warned = false;
        while (!closed) {
            try (Connection c = connections.getConnection()) {
                connection = c;
                if (closed) {
                    return;
                }
                Rows.execute(c, "LISTEN " + CHANNEL);
                PGConnection notifications = c.unwrap(PGConnection.class);
                try (PreparedStatement query = c.prepareStatement(stampQuery)) {
                    heartbeat(query); // read after LISTEN: every commit since is notified
                    listening = true;
                    if (warned) {
                        log.info("listening for changes on the database again");
                        warned = false;
                    }
                    long nextBeat = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS);
                    while (!closed) {
                        long waitMillis = TimeUnit.NANOSECONDS.toMillis(nextBeat - System.nanoTime());
                        PGNotification[] pushed = notifications.getNotifications((int) Math.max(1, waitMillis));
                        if (pushed != null) {
                            for (PGNotification n : pushed) {
                                take(n);
                            }
                        }
                        if (System.nanoTime() >= nextBeat) {
                            heartbeat(query);
                            nextBeat = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    return;
                }
                if (!warned) {
                    log.warn(
                            "not listening for changes on the database ({}): every page request asks it until"
                                    + " listening again",
                            e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return; // closed
                }
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private void heartbeat(PreparedStatement query) throws SQLException {
        try (ResultSet row = query.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("the row of metadata_revision is missing (migration V007)");
            }
            offer(row.getLong(1));
        }
        answeredAtNanos = System.nanoTime();
    }

    private void take(PGNotification n) {
        if (!CHANNEL.equals(n.getName())) {
            return;
        }
        try {
            offer(Long.parseLong(n.getParameter()));
        } catch (NumberFormatException e) {
            // not one of ours: the next heartbeat reads the stamp anyway
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing to stop the listener: nothing else to do
            }
        }
    }
}

package dev.wheelwright.storage.jdbc;

import java.util.OptionalLong;

/**
 * Change stamps a database pushes to this process as other connections commit, so that a request need not ask for
 * the stamp: while the feed is live, its stamp is at most a notification's delivery behind the database's (and a
 * heartbeat's interval at worst, should a notification be lost). Thread-safe.
 */
interface ChangeFeed extends AutoCloseable {
    /**
     * The newest stamp known, while the feed is live; empty before it has listened and read the stamp once, and while
     * its connection is down or has not answered a heartbeat lately (then the caller asks the database). The first call
     * starts it.
     */
    OptionalLong stamp();

    /** Takes a stamp the caller read from the database itself (the feed keeps the newest it has seen). */
    void offer(long stamp);

    /** Stops listening; later calls of {@link #stamp} are empty. */
    @Override
    void close();
}

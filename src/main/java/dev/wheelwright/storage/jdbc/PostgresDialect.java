package dev.wheelwright.storage.jdbc;

import com.zaxxer.hikari.util.DriverDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * PostgreSQL, shared by every replica of a scaled-out index. Writes run in READ COMMITTED and update the one row of
 * {@code metadata_revision} first: its row lock orders the write transactions of all replicas one after the other,
 * as SQLite's {@code BEGIN IMMEDIATE} does, and each statement after it sees every write committed before (READ
 * COMMITTED takes a fresh snapshot per statement). So a read-then-write inside a transaction cannot be overtaken, two
 * replicas adding the same filename end with one row and the other finds it, and no transaction ever fails with a
 * serialization error; the primary keys stay the last guard. The row's value, bumped by every write, is the change
 * stamp. The password is held by the connection source only, never put in a message.
 */
final class PostgresDialect implements SqlDialect {
    /** How many connections a replica keeps open when the config does not say. */
    static final int DEFAULT_POOL_SIZE = 10;

    static final String URL_PREFIX = "jdbc:postgresql://";
    private static final String DRIVER = "org.postgresql.Driver";
    /** Takes the row lock, bumps the revision and notifies it (delivered to listeners when the transaction commits). */
    private static final String LOCK_AND_BUMP =
            "WITH bumped AS (UPDATE metadata_revision SET value = value + 1 WHERE id = 1 RETURNING value)"
                    + " SELECT pg_notify('" + PostgresChangeFeed.CHANNEL + "', value::text) FROM bumped";
    /** The {@code application_name} of each process's listening session (its pooled ones say {@code wheelwright}). */
    static final String LISTENER_NAME = "wheelwright-changes";

    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final long POOL_WAIT_MILLIS = 30_000;

    private final String url;
    private final String user;
    private final String password;
    private final int poolSize;

    private PostgresDialect(String url, String user, String password, int poolSize) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.poolSize = poolSize;
    }

    /**
     * The dialect for the database at {@code url} ({@code jdbc:postgresql://host:port/database}), signing in as
     * {@code user} with {@code password}, with a pool of {@code poolSize} connections.
     */
    static PostgresDialect of(String url, String user, String password, int poolSize) {
        Objects.requireNonNull(url);
        Objects.requireNonNull(user);
        Objects.requireNonNull(password);
        if (!url.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with " + URL_PREFIX);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool needs at least one connection");
        }
        return new PostgresDialect(url, user, password, poolSize);
    }

    /** {@code postgresql://host:port/database}: the URL without its parameters, which may carry settings. */
    @Override
    public String name() {
        String rest = url.substring("jdbc:".length());
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    @Override
    public DataSource connections() {
        return connections("wheelwright");
    }

    /** Every process listens for the revisions other connections commit, on a session of its own. */
    @Override
    public Optional<ChangeFeed> changeFeed() {
        return Optional.of(new PostgresChangeFeed(connections(LISTENER_NAME), changeStampQuery()));
    }

    private DataSource connections(String applicationName) {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("tcpKeepAlive", "true");
        return new DriverDataSource(url, DRIVER, properties, user, password);
    }

    @Override
    public int poolSize() {
        return poolSize;
    }

    /** A request waits this long for a free connection, then fails (a server that went away is not waited out). */
    @Override
    public long poolWaitMillis() {
        return POOL_WAIT_MILLIS;
    }

    @Override
    public String migrationLocation() {
        return "db/vendor/postgresql";
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        // whatever default_transaction_isolation says: an older snapshot would miss the writes the lock waited for
        Rows.execute(connection, "SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        try (PreparedStatement lock = connection.prepareStatement(LOCK_AND_BUMP);
                ResultSet bumped = lock.executeQuery()) {
            if (!bumped.next()) {
                throw new SQLException("the row of metadata_revision is missing (migration V007)");
            }
        }
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The revision every write transaction bumps: one primary-key lookup of one row. */
    @Override
    public String changeStampQuery() {
        return "SELECT value FROM metadata_revision WHERE id = 1";
    }

    /** SQLState 23505, unique_violation (a primary key included). */
    /** The outbox's identity column goes on after the highest copied id. */
    @Override
    public Optional<String> afterRowsCopied(String table) {
        return table.equals("notification_outbox")
                ? Optional.of("SELECT setval(pg_get_serial_sequence('notification_outbox', 'id'),"
                        + " COALESCE(MAX(id), 0) + 1, false) FROM notification_outbox")
                : Optional.empty();
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}

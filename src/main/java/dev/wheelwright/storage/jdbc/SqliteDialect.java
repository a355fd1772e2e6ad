package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite, one database file that the server and CLI commands may open at the same time: WAL journal (readers never
 * block the writer), {@code synchronous=FULL} (a commit is on disk when it returns), foreign keys on, a 10 s busy
 * timeout and {@code BEGIN IMMEDIATE} writes, so several processes can share one file. Connections stay in
 * autocommit mode; write transactions are explicit {@code BEGIN IMMEDIATE ... COMMIT}. A transaction begun with
 * {@code setAutoCommit(false)} (Flyway's) is {@code BEGIN IMMEDIATE} too: Flyway does not lock SQLite itself.
 */
final class SqliteDialect implements SqlDialect {
    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    /** Writes are serialized by the database anyway; a few connections let reads run beside the writer. */
    static final int POOL_SIZE = 4;

    private final Path file;
    private final List<Path> commitFiles;
    private final String url;

    private SqliteDialect(Path file) {
        this.file = file;
        this.commitFiles = List.of(file.resolveSibling(file.getFileName() + "-wal"));
        this.url = "jdbc:sqlite:" + file;
    }

    /** The dialect for this database file, creating its directory when missing. */
    static SqliteDialect forFile(Path dbFile) {
        Path file = dbFile.toAbsolutePath().normalize();
        if (file.toString().contains("?")) {
            throw new StorageException("the SQLite database path must not contain '?': " + dbFile.getFileName());
        }
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StorageException("cannot create the directory of database " + dbFile.getFileName(), e);
        }
        return new SqliteDialect(file);
    }

    @Override
    public String name() {
        return Objects.toString(file.getFileName());
    }

    @Override
    public DataSource connections() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource source = new SQLiteDataSource(config) {
            @Override
            public SQLiteConnection getConnection(String user, String password) throws SQLException {
                SQLiteConnection connection = super.getConnection(user, password);
                try {
                    configure(connection);
                    return connection;
                } catch (SQLException | RuntimeException e) {
                    connection.close();
                    throw e;
                }
            }
        };
        source.setUrl(url);
        return source;
    }

    @Override
    public int poolSize() {
        return POOL_SIZE;
    }

    /** V005 (the outbox's generated key, which SQLite numbers itself); PostgreSQL has its own copy. */
    @Override
    public String migrationLocation() {
        return "db/vendor/sqlite";
    }

    /** The session settings every new connection gets, before any other statement. */
    static void configure(Connection connection) throws SQLException {
        // busy_timeout first: switching a new database to WAL needs a lock another process may hold
        Rows.execute(connection, "PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        switchToWal(connection);
        Rows.execute(connection, "PRAGMA synchronous = FULL");
        Rows.execute(connection, "PRAGMA foreign_keys = ON");
    }

    /**
     * Puts the database in WAL mode. Switching a new file needs its exclusive lock, and SQLite answers
     * {@code SQLITE_BUSY} at once, without its busy handler, while another process opening the same new file holds
     * it: that is retried for up to the busy timeout.
     */
    private static void switchToWal(Connection connection) throws SQLException {
        long deadline = System.nanoTime() + BUSY_TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            try (PreparedStatement wal = connection.prepareStatement("PRAGMA journal_mode = WAL");
                    ResultSet mode = wal.executeQuery()) {
                if (!mode.next() || !mode.getString(1).equalsIgnoreCase("wal")) {
                    throw new StorageException("the SQLite database cannot use WAL journaling on this file system");
                }
                return;
            } catch (SQLiteException e) {
                boolean busy = e.getResultCode() == SQLiteErrorCode.SQLITE_BUSY
                        || e.getResultCode() == SQLiteErrorCode.SQLITE_LOCKED;
                if (!busy || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while switching to WAL journaling", e);
            }
        }
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        Rows.execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        Rows.execute(connection, "COMMIT");
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        Rows.execute(connection, "ROLLBACK"); // fails harmlessly when SQLite already rolled back after an I/O error
    }

    /**
     * Every commit writes its frames to the write-ahead log (after a checkpoint, from its start again), so the log's
     * time moves with each; the database file only takes in what the log already held. One file: one {@code stat}
     * per request.
     */
    @Override
    public List<Path> commitFiles() {
        return commitFiles; // asked on every page request: made once
    }

    /** SQLite's data version: moved by every commit of another connection, read from the WAL index, not a table. */
    @Override
    public String changeStampQuery() {
        return "PRAGMA data_version";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                    || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
        }
        return false;
    }
}

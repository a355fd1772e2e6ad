package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite: WAL journal (readers never block the writer), {@code synchronous=FULL} (a commit is on disk when it
 * returns), a 10 s busy timeout and {@code BEGIN IMMEDIATE} writes, so several processes can share one file.
 * Connections stay in autocommit mode; write transactions are explicit {@code BEGIN IMMEDIATE ... COMMIT}.
 */
final class SqliteDialect implements SqlDialect {
    static final int BUSY_TIMEOUT_MILLIS = 10_000;

    @Override
    public void configure(Connection connection) throws SQLException {
        // busy_timeout first: switching a new database to WAL needs a lock another process may hold
        execute(connection, "PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
        try (PreparedStatement wal = connection.prepareStatement("PRAGMA journal_mode = WAL");
                ResultSet mode = wal.executeQuery()) {
            if (!mode.next() || !mode.getString(1).equalsIgnoreCase("wal")) {
                throw new StorageException("the SQLite database cannot use WAL journaling on this file system");
            }
        }
        execute(connection, "PRAGMA synchronous = FULL");
        execute(connection, "PRAGMA foreign_keys = ON");
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        execute(connection, "COMMIT");
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        execute(connection, "ROLLBACK"); // fails harmlessly when SQLite already rolled back after an I/O error
    }

    @Override
    public String upsertProject() {
        return """
                INSERT INTO projects (name, display_name, summary, created_us, revision)
                VALUES (?, ?, ?, ?, 1)
                ON CONFLICT (name) DO UPDATE SET
                    display_name = excluded.display_name,
                    summary = excluded.summary,
                    revision = projects.revision + 1
                """;
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

    private static void execute(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }
}

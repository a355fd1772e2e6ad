package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.MetadataStore;
import dev.wheelwright.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The {@link MetadataStore} of the embedded setup: one SQLite file, which the server and CLI commands may open at
 * the same time. Thread-safe. Every connection runs in WAL mode with {@code synchronous=FULL}, so a write that
 * returned survives a crash or power loss; writes take the database lock up front ({@code BEGIN IMMEDIATE}) and
 * wait up to 10 s for a writer in another process. {@link #open} brings the schema up to date; {@link #close}
 * closes every connection and is called once, after the last operation.
 */
public final class SqliteMetadataStore extends JdbcMetadataStore {
    static final int POOL_SIZE = 4;

    private SqliteMetadataStore(ConnectionPool pool, SqlDialect dialect) {
        super(pool, dialect);
    }

    /** Opens (creating when missing) the database file and applies pending migrations. */
    public static SqliteMetadataStore open(Path dbFile) {
        return open(dbFile, Migrations.DEFAULT_LOCATION);
    }

    static SqliteMetadataStore open(Path dbFile, String migrationLocation) {
        Path file = dbFile.toAbsolutePath().normalize();
        if (file.toString().contains("?")) {
            throw new StorageException("the SQLite database path must not contain '?': " + dbFile.getFileName());
        }
        SqlDialect dialect = new SqliteDialect();
        String url = "jdbc:sqlite:" + file;
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StorageException("cannot create the directory of database " + dbFile.getFileName(), e);
        }
        ConnectionPool pool;
        try {
            pool = new ConnectionPool(POOL_SIZE, () -> {
                Connection connection = DriverManager.getConnection(url);
                try {
                    dialect.configure(connection);
                    return connection;
                } catch (SQLException | RuntimeException e) {
                    connection.close();
                    throw e;
                }
            });
        } catch (SQLException e) {
            throw new StorageException("cannot open database " + dbFile.getFileName(), e);
        }
        try {
            Connection connection = pool.take();
            try {
                new Migrations(dialect, migrationLocation).apply(connection);
            } finally {
                pool.give(connection);
            }
        } catch (SQLException e) {
            closeAfterFailure(pool, e);
            throw new StorageException("cannot migrate database " + dbFile.getFileName(), e);
        } catch (RuntimeException e) {
            closeAfterFailure(pool, e);
            throw e;
        }
        return new SqliteMetadataStore(pool, dialect);
    }

    private static void closeAfterFailure(ConnectionPool pool, Exception failure) {
        try {
            pool.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}

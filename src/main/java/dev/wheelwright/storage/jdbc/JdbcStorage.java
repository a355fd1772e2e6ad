package dev.wheelwright.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BuildStore;
import dev.wheelwright.storage.Leases;
import dev.wheelwright.storage.NotificationOutbox;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProvenanceStore;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredBuild;
import dev.wheelwright.storage.TokenStore;
import dev.wheelwright.storage.UpstreamCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata ports over one SQL database: it owns the connection pool (HikariCP) and hands out the
 * {@link ProjectCatalog}, {@link TokenStore}, {@link BuildStore} and {@link UpstreamCache} that share it, on SQLite
 * (embedded) or PostgreSQL (replicas). What differs between databases is in a {@link SqlDialect}; everything else,
 * the schema and its Flyway migrations included, is the same for all (bar a few migrations of the dialect's own). Thread-safe, and several processes (the server and CLI commands) may open one
 * database at the same time. Opening brings the schema up to date; {@link #close} closes the pool, once, after the
 * last operation of every port.
 */
public final class JdbcStorage implements AutoCloseable {
    private final HikariDataSource pool;
    private final Database db;
    private final ProjectCatalog catalog;
    private final TokenStore tokens;
    private final JdbcBuildStore builds;
    private final UpstreamCache upstreamCache;
    private final NotificationOutbox outbox;
    private final Leases leases;
    private final ProvenanceStore provenance;
    private final List<String> migrationLocations;
    private final SqlDialect dialect;

    private JdbcStorage(
            HikariDataSource pool, SqlDialect dialect, MeterRegistry meters, List<String> migrationLocations) {
        this.pool = pool;
        this.dialect = dialect;
        this.migrationLocations = List.copyOf(migrationLocations);
        this.db = new Database(pool, dialect, meters);
        this.catalog = new JdbcProjectCatalog(db);
        this.tokens = new JdbcTokenStore(db);
        this.builds = new JdbcBuildStore(db);
        this.upstreamCache = new JdbcUpstreamCache(db);
        this.outbox = new JdbcNotificationOutbox(db);
        this.leases = new JdbcLeases(db);
        this.provenance = new JdbcProvenanceStore(db);
    }

    /**
     * Opens (creating when missing) the SQLite database file of the embedded setup and applies pending migrations.
     * Every connection runs in WAL mode with {@code synchronous=FULL}, so a write that returned survives a crash or
     * power loss; writes take the database lock up front and wait up to 10 s for a writer in another process.
     */
    public static JdbcStorage openSqlite(Path dbFile) {
        return openSqlite(dbFile, new CompositeMeterRegistry());
    }

    /**
     * Like {@link #openSqlite(Path)}, counting failed reads and writes in {@code meters} as
     * {@code wheelwright_storage_errors_total{store="metadata",operation="read|write"}}.
     */
    public static JdbcStorage openSqlite(Path dbFile, MeterRegistry meters) {
        return open(SqliteDialect.forFile(dbFile), List.of(), meters);
    }

    /**
     * Opens the PostgreSQL database at {@code url} ({@code jdbc:postgresql://host:port/database}) as {@code user}
     * with a pool of {@value PostgresDialect#DEFAULT_POOL_SIZE} connections, and applies pending migrations (Flyway
     * locks the database while it migrates, so replicas starting together migrate it once). Several replicas may open
     * one database: their write transactions take turns, and a commit through one moves the change stamp of all.
     * {@code password} is never put in a message.
     */
    public static JdbcStorage openPostgres(String url, String user, String password, MeterRegistry meters) {
        return openPostgres(url, user, password, PostgresDialect.DEFAULT_POOL_SIZE, meters);
    }

    /** Like {@link #openPostgres(String, String, String, MeterRegistry)}, with {@code poolSize} connections. */
    public static JdbcStorage openPostgres(
            String url, String user, String password, int poolSize, MeterRegistry meters) {
        return open(PostgresDialect.of(url, user, password, poolSize), List.of(), meters);
    }

    /** Like {@link #openSqlite(Path)}, with migrations from more classpath folders (tests). */
    static JdbcStorage openSqlite(Path dbFile, List<String> extraMigrationLocations) {
        return open(SqliteDialect.forFile(dbFile), extraMigrationLocations, new CompositeMeterRegistry());
    }

    static JdbcStorage open(SqlDialect dialect, List<String> extraMigrationLocations, MeterRegistry meters) {
        List<String> migrationLocations = new ArrayList<>();
        migrationLocations.add(dialect.migrationLocation());
        migrationLocations.addAll(extraMigrationLocations);
        HikariConfig config = new HikariConfig();
        config.setPoolName("wheelwright-metadata");
        config.setDataSource(dialect.connections());
        config.setMaximumPoolSize(dialect.poolSize());
        config.setMinimumIdle(dialect.poolSize()); // a fixed set: the first opened now, the others right after
        config.setConnectionTimeout(dialect.poolWaitMillis()); // 0: as long as it takes, like the writers do
        config.setAutoCommit(true);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) { // Hikari's PoolInitializationException, caused by what the connection met
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof StorageException refused) { // e.g. no WAL on this file system: say so
                    throw refused;
                }
            }
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            // the driver's reason (refused, unknown host, authentication failed) names no password
            throw new StorageException("cannot open database " + dialect.name() + ": " + root.getMessage(), e);
        }
        try {
            FlywaySchema.bringUpToDate(pool, migrationLocations);
        } catch (SQLException e) {
            closeAfterFailure(pool, e);
            throw new StorageException("cannot migrate database " + dialect.name(), e);
        } catch (RuntimeException e) {
            closeAfterFailure(pool, e);
            throw e;
        }
        return new JdbcStorage(pool, dialect, meters, migrationLocations);
    }

    /** The database as messages name it: the SQLite file's name, or {@code postgresql://host:port/database}. */
    public String databaseName() {
        return dialect.name();
    }

    /** The database the ports share (tests of this package). */
    Database database() {
        return db;
    }

    /** Hosted projects and their files. */
    public ProjectCatalog catalog() {
        return catalog;
    }

    /** API tokens. */
    public TokenStore tokens() {
        return tokens;
    }

    /** Build records of git releases. */
    public BuildStore builds() {
        return builds;
    }

    /** The upstream proxy's cache index. */
    public UpstreamCache upstreamCache() {
        return upstreamCache;
    }

    /** The outbox of notifications not yet delivered. */
    public NotificationOutbox outbox() {
        return outbox;
    }

    /** Leases shared by every process on this database (one build of a release at a time across replicas). */
    public Leases leases() {
        return leases;
    }

    /** The provenance of built files and the key it is signed with. */
    public ProvenanceStore provenance() {
        return provenance;
    }

    /** How copying one table went: the rows the source has, and how many of them the target did not have before. */
    public record CopiedTable(String table, long read, long added) {}

    /**
     * Copies every row of every table (projects, files, tokens, builds, upstream cache, undelivered notifications, provenance and its signing key;
     * not leases) into {@code target}, of any engine, keeping the rows {@code target} has already: running it again
     * after an interruption finishes the copy. The blobs the rows refer to are the caller's to copy first.
     */
    public List<CopiedTable> copyRowsTo(JdbcStorage target) {
        return TableCopy.copy(db, target.db);
    }

    /** A blob some row refers to, with the sha256 its bytes must have. */
    public record BlobReference(BlobKey key, String sha256) {}

    /** Every blob a file record (distribution and metadata) or an upstream cache entry refers to, each once. */
    public List<BlobReference> blobReferences() {
        return db.list(
                "cannot list the blobs records refer to",
                """
                SELECT blob_key, sha256 FROM files
                UNION SELECT metadata_blob_key, metadata_sha256 FROM files WHERE metadata_blob_key IS NOT NULL
                UNION SELECT blob_key, sha256 FROM upstream_files
                ORDER BY 1""",
                row -> new BlobReference(BlobKey.of(row.getString(1)), row.getString(2)));
    }

    /** The (project, version) of every build record, for copying their logs. */
    public List<StoredBuild> allBuilds() {
        return builds.all();
    }

    /** How many schema migrations this database still lacks (0 once opened, unless a newer release added some). */
    public int pendingMigrations() {
        return FlywaySchema.pending(pool, migrationLocations);
    }

    /** Closes every pooled connection; the ports then fail with {@link StorageException}. */
    @Override
    public void close() {
        db.close();
        pool.close();
    }

    private static void closeAfterFailure(HikariDataSource pool, Exception failure) {
        try {
            pool.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}

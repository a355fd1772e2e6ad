package dev.wheelwright.storage.jdbc;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.CachedUpstreamFile;
import dev.wheelwright.storage.MetadataStore;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredBuild;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.storage.TokenRecord;
import dev.wheelwright.storage.UpstreamSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link MetadataStore} over portable SQL; a subclass supplies the connections and the {@link SqlDialect}.
 * Thread-safe: each operation borrows one pooled connection; reads run in autocommit, writes in one
 * {@link SqlDialect#beginWrite} transaction each. Writers of this instance queue on a lock so they do not spin
 * on the database's lock; writers in other processes are serialized by the database itself.
 */
abstract class JdbcMetadataStore implements MetadataStore {
    private static final String FILE_COLUMNS = """
            project, version, filename, packagetype, size, sha256, blob_key, requires_python, metadata_sha256,
            metadata_blob_key, upload_time_us, yanked, yanked_reason, uploaded_by""";
    private static final String TOKEN_COLUMNS = """
            id, name, salt, secret_hash, scopes, project_glob, created_us, expires_us, last_used_us""";
    private static final String BUILD_COLUMNS = """
            project, version, tag, commit_id, status, reason, queued_us, started_us, finished_us""";

    private final ConnectionPool pool;
    private final SqlDialect dialect;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    JdbcMetadataStore(ConnectionPool pool, SqlDialect dialect) {
        this.pool = Objects.requireNonNull(pool);
        this.dialect = Objects.requireNonNull(dialect);
    }

    @Override
    public List<ProjectRecord> projects() {
        return read("cannot list projects", c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT name, display_name, summary, created_us, revision FROM projects ORDER BY name""")) {
                return list(query, JdbcMetadataStore::project);
            }
        });
    }

    @Override
    public Optional<ProjectRecord> project(String name) {
        Objects.requireNonNull(name);
        return read("cannot read project " + name, c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT name, display_name, summary, created_us, revision FROM projects WHERE name = ?""")) {
                query.setString(1, name);
                return first(query, JdbcMetadataStore::project);
            }
        });
    }

    @Override
    public List<StoredFile> files(String project) {
        Objects.requireNonNull(project);
        return read("cannot list the files of " + project, c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT %s FROM files
                    WHERE project = ?
                    ORDER BY upload_time_us, filename""".formatted(FILE_COLUMNS))) {
                query.setString(1, project);
                return list(query, JdbcMetadataStore::storedFile);
            }
        });
    }

    @Override
    public Optional<StoredFile> file(String project, String filename) {
        Objects.requireNonNull(project);
        Objects.requireNonNull(filename);
        return read("cannot read file " + filename, c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT %s FROM files WHERE project = ? AND filename = ?""".formatted(FILE_COLUMNS))) {
                query.setString(1, project);
                query.setString(2, filename);
                return first(query, JdbcMetadataStore::storedFile);
            }
        });
    }

    @Override
    public Optional<StoredFile> addFile(StoredFile file, String displayName, String summary) {
        Objects.requireNonNull(file);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(summary);
        try {
            return write(c -> {
                Optional<StoredFile> existing = fileNamed(c, file.filename());
                if (existing.isPresent()) {
                    return existing;
                }
                try (PreparedStatement upsert = c.prepareStatement(dialect.upsertProject())) {
                    upsert.setString(1, file.project());
                    upsert.setString(2, displayName);
                    upsert.setString(3, summary);
                    upsert.setLong(4, EpochMicros.of(file.uploadTime()));
                    upsert.executeUpdate();
                }
                insertFile(c, file);
                return Optional.empty();
            });
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                // a database whose write transactions do not exclude each other let a concurrent add win
                Optional<StoredFile> winner =
                        read("cannot read file " + file.filename(), c -> fileNamed(c, file.filename()));
                if (winner.isPresent()) {
                    return winner;
                }
            }
            throw new StorageException("cannot record file " + file.filename(), e);
        }
    }

    private static Optional<StoredFile> fileNamed(Connection c, String filename) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT %s FROM files WHERE filename = ?""".formatted(FILE_COLUMNS))) {
            query.setString(1, filename);
            return first(query, JdbcMetadataStore::storedFile);
        }
    }

    private static void insertFile(Connection c, StoredFile file) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO files (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(FILE_COLUMNS))) {
            insert.setString(1, file.project());
            insert.setString(2, file.version());
            insert.setString(3, file.filename());
            insert.setString(4, file.packagetype());
            insert.setLong(5, file.size());
            insert.setString(6, file.sha256());
            insert.setString(7, file.blob().value());
            setOptionalString(insert, 8, file.requiresPython());
            setOptionalString(insert, 9, file.metadataSha256());
            setOptionalString(insert, 10, file.metadataBlob().map(BlobKey::value));
            insert.setLong(11, EpochMicros.of(file.uploadTime()));
            insert.setInt(12, file.yankedReason().isPresent() ? 1 : 0);
            setOptionalString(insert, 13, file.yankedReason());
            insert.setString(14, file.uploadedBy());
            insert.executeUpdate();
        }
    }

    @Override
    public boolean setYanked(String project, String filename, Optional<String> reason) {
        Objects.requireNonNull(project);
        Objects.requireNonNull(filename);
        Objects.requireNonNull(reason);
        try {
            return write(c -> {
                int changed;
                try (PreparedStatement update = c.prepareStatement("""
                        UPDATE files SET yanked = ?, yanked_reason = ? WHERE project = ? AND filename = ?""")) {
                    update.setInt(1, reason.isPresent() ? 1 : 0);
                    setOptionalString(update, 2, reason);
                    update.setString(3, project);
                    update.setString(4, filename);
                    changed = update.executeUpdate();
                }
                if (changed == 0) {
                    return false;
                }
                try (PreparedStatement bump =
                        c.prepareStatement("UPDATE projects SET revision = revision + 1 WHERE name = ?")) {
                    bump.setString(1, project);
                    bump.executeUpdate();
                }
                return true;
            });
        } catch (SQLException e) {
            throw new StorageException("cannot change the yank of " + filename, e);
        }
    }

    @Override
    public void addToken(TokenRecord token) {
        Objects.requireNonNull(token);
        for (String scope : token.scopes()) {
            if (scope.isEmpty() || scope.contains(",")) {
                throw new IllegalArgumentException("scope names are non-empty and without commas: " + scope);
            }
        }
        try {
            write(c -> {
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO tokens (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(TOKEN_COLUMNS))) {
                    insert.setString(1, token.id());
                    insert.setString(2, token.name());
                    insert.setString(3, token.salt());
                    insert.setString(4, token.secretHash());
                    insert.setString(5, String.join(",", token.scopes()));
                    setOptionalString(insert, 6, token.projectGlob());
                    insert.setLong(7, EpochMicros.of(token.created()));
                    setOptionalInstant(insert, 8, token.expires());
                    setOptionalInstant(insert, 9, token.lastUsed());
                    insert.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                throw new WheelwrightException(Kind.CONFLICT, "a token named " + token.name() + " already exists");
            }
            throw new StorageException("cannot record token " + token.name(), e);
        }
    }

    @Override
    public Optional<TokenRecord> token(String id) {
        Objects.requireNonNull(id);
        return read("cannot read a token", c -> {
            try (PreparedStatement query =
                    c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE id = ?")) {
                query.setString(1, id);
                return first(query, JdbcMetadataStore::tokenRecord);
            }
        });
    }

    @Override
    public List<TokenRecord> tokens() {
        return read("cannot list tokens", c -> {
            try (PreparedStatement query =
                    c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM tokens ORDER BY name")) {
                return list(query, JdbcMetadataStore::tokenRecord);
            }
        });
    }

    @Override
    public boolean revokeToken(String name) {
        Objects.requireNonNull(name);
        try {
            return write(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM tokens WHERE name = ?")) {
                    delete.setString(1, name);
                    return delete.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw new StorageException("cannot revoke token " + name, e);
        }
    }

    @Override
    public void tokenUsed(String id, Instant when) {
        Objects.requireNonNull(id);
        Objects.requireNonNull(when);
        try {
            write(c -> {
                try (PreparedStatement update = c.prepareStatement("UPDATE tokens SET last_used_us = ? WHERE id = ?")) {
                    update.setLong(1, EpochMicros.of(when));
                    update.setString(2, id);
                    update.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StorageException("cannot record the use of a token", e);
        }
    }

    @Override
    public boolean referencesBlob(BlobKey key) {
        Objects.requireNonNull(key);
        return read("cannot check references to blob " + key, c -> {
            // two lookups rather than OR, so each can use its index
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT 1 FROM files WHERE blob_key = ?
                    UNION ALL
                    SELECT 1 FROM files WHERE metadata_blob_key = ?
                    UNION ALL
                    SELECT 1 FROM upstream_files WHERE blob_key = ?""")) {
                query.setString(1, key.value());
                query.setString(2, key.value());
                query.setString(3, key.value());
                query.setMaxRows(1);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    // --- upstream proxy cache

    private static final String SNAPSHOT_COLUMNS = "project, upstream, body, etag, last_modified, fetched_us";
    private static final String CACHED_COLUMNS = "filename, project, sha256, size, blob_key, cached_us";

    @Override
    public Optional<UpstreamSnapshot> upstreamSnapshot(String project) {
        Objects.requireNonNull(project);
        return read("cannot read the upstream snapshot of " + project, c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT " + SNAPSHOT_COLUMNS + " FROM upstream_snapshots WHERE project = ?")) {
                query.setString(1, project);
                return first(query, JdbcMetadataStore::snapshot);
            }
        });
    }

    @Override
    public void putUpstreamSnapshot(UpstreamSnapshot snapshot) {
        Objects.requireNonNull(snapshot);
        try {
            write(c -> {
                // INSERT .. ON CONFLICT .. DO UPDATE is the same in SQLite (3.24+) and PostgreSQL (9.5+)
                try (PreparedStatement upsert = c.prepareStatement("""
                        INSERT INTO upstream_snapshots (%s) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (project) DO UPDATE SET upstream = excluded.upstream, body = excluded.body,
                            etag = excluded.etag, last_modified = excluded.last_modified,
                            fetched_us = excluded.fetched_us""".formatted(SNAPSHOT_COLUMNS))) {
                    upsert.setString(1, snapshot.project());
                    upsert.setString(2, snapshot.upstream());
                    upsert.setString(3, snapshot.body());
                    setOptionalString(upsert, 4, snapshot.etag());
                    setOptionalString(upsert, 5, snapshot.lastModified());
                    upsert.setLong(6, EpochMicros.of(snapshot.fetched()));
                    upsert.executeUpdate();
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StorageException("cannot store the upstream snapshot of " + snapshot.project(), e);
        }
    }

    @Override
    public boolean deleteUpstreamSnapshot(String project) {
        Objects.requireNonNull(project);
        try {
            return write(c -> {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM upstream_snapshots WHERE project = ?")) {
                    delete.setString(1, project);
                    return delete.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw new StorageException("cannot delete the upstream snapshot of " + project, e);
        }
    }

    @Override
    public Optional<CachedUpstreamFile> cachedUpstreamFile(String filename) {
        Objects.requireNonNull(filename);
        return read("cannot read cached upstream file " + filename, c -> cachedNamed(c, filename));
    }

    private static Optional<CachedUpstreamFile> cachedNamed(Connection c, String filename) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement("SELECT " + CACHED_COLUMNS + " FROM upstream_files WHERE filename = ?")) {
            query.setString(1, filename);
            return first(query, JdbcMetadataStore::cached);
        }
    }

    @Override
    public List<CachedUpstreamFile> cachedUpstreamFiles(String project) {
        Objects.requireNonNull(project);
        return read("cannot list cached upstream files of " + project, c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT " + CACHED_COLUMNS + " FROM upstream_files WHERE project = ? ORDER BY filename")) {
                query.setString(1, project);
                return list(query, JdbcMetadataStore::cached);
            }
        });
    }

    @Override
    public Optional<CachedUpstreamFile> addCachedUpstreamFile(CachedUpstreamFile file) {
        Objects.requireNonNull(file);
        try {
            return write(c -> {
                Optional<CachedUpstreamFile> existing = cachedNamed(c, file.filename());
                if (existing.isPresent()) {
                    return existing;
                }
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO upstream_files (" + CACHED_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, file.filename());
                    insert.setString(2, file.project());
                    insert.setString(3, file.sha256());
                    insert.setLong(4, file.size());
                    insert.setString(5, file.blob().value());
                    insert.setLong(6, EpochMicros.of(file.cached()));
                    insert.executeUpdate();
                }
                return Optional.empty();
            });
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                Optional<CachedUpstreamFile> winner =
                        read("cannot read cached upstream file " + file.filename(), c -> cachedNamed(c, file.filename()));
                if (winner.isPresent()) {
                    return winner;
                }
            }
            throw new StorageException("cannot record cached upstream file " + file.filename(), e);
        }
    }

    private static UpstreamSnapshot snapshot(ResultSet row) throws SQLException {
        return new UpstreamSnapshot(
                row.getString("project"),
                row.getString("upstream"),
                row.getString("body"),
                Optional.ofNullable(row.getString("etag")),
                Optional.ofNullable(row.getString("last_modified")),
                EpochMicros.toInstant(row.getLong("fetched_us")));
    }

    private static CachedUpstreamFile cached(ResultSet row) throws SQLException {
        return new CachedUpstreamFile(
                row.getString("filename"),
                row.getString("project"),
                row.getString("sha256"),
                row.getLong("size"),
                BlobKey.of(row.getString("blob_key")),
                EpochMicros.toInstant(row.getLong("cached_us")));
    }

    @Override
    public Optional<StoredBuild> addBuild(StoredBuild build) {
        Objects.requireNonNull(build);
        try {
            return write(c -> {
                Optional<StoredBuild> existing = buildOf(c, build.project(), build.version());
                if (existing.isPresent()) {
                    return existing;
                }
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO builds (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(BUILD_COLUMNS))) {
                    insert.setString(1, build.project());
                    insert.setString(2, build.version());
                    insert.setString(3, build.tag());
                    insert.setString(4, build.commit());
                    insert.setString(5, build.status());
                    setOptionalString(insert, 6, build.reason());
                    insert.setLong(7, EpochMicros.of(build.queued()));
                    setOptionalInstant(insert, 8, build.started());
                    setOptionalInstant(insert, 9, build.finished());
                    insert.executeUpdate();
                }
                return Optional.empty();
            });
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                Optional<StoredBuild> winner = build(build.project(), build.version());
                if (winner.isPresent()) {
                    return winner;
                }
            }
            throw new StorageException("cannot record the build of " + build.project() + " " + build.version(), e);
        }
    }

    @Override
    public boolean updateBuild(StoredBuild build) {
        Objects.requireNonNull(build);
        try {
            return write(c -> {
                try (PreparedStatement update = c.prepareStatement("""
                        UPDATE builds SET tag = ?, commit_id = ?, status = ?, reason = ?, queued_us = ?, started_us = ?,
                            finished_us = ?
                        WHERE project = ? AND version = ?""")) {
                    update.setString(1, build.tag());
                    update.setString(2, build.commit());
                    update.setString(3, build.status());
                    setOptionalString(update, 4, build.reason());
                    update.setLong(5, EpochMicros.of(build.queued()));
                    setOptionalInstant(update, 6, build.started());
                    setOptionalInstant(update, 7, build.finished());
                    update.setString(8, build.project());
                    update.setString(9, build.version());
                    return update.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw new StorageException("cannot update the build of " + build.project() + " " + build.version(), e);
        }
    }

    @Override
    public Optional<StoredBuild> build(String project, String version) {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        return read("cannot read the build of " + project + " " + version, c -> buildOf(c, project, version));
    }

    private static Optional<StoredBuild> buildOf(Connection c, String project, String version) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT %s FROM builds WHERE project = ? AND version = ?""".formatted(BUILD_COLUMNS))) {
            query.setString(1, project);
            query.setString(2, version);
            return first(query, JdbcMetadataStore::storedBuild);
        }
    }

    @Override
    public List<StoredBuild> builds(String project) {
        Objects.requireNonNull(project);
        return read("cannot list the builds of " + project, c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT %s FROM builds WHERE project = ?
                    ORDER BY queued_us DESC, version""".formatted(BUILD_COLUMNS))) {
                query.setString(1, project);
                return list(query, JdbcMetadataStore::storedBuild);
            }
        });
    }

    @Override
    public List<StoredBuild> unfinishedBuilds() {
        return read("cannot list unfinished builds", c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT %s FROM builds WHERE status IN ('queued', 'running')
                    ORDER BY queued_us, project, version""".formatted(BUILD_COLUMNS))) {
                return list(query, JdbcMetadataStore::storedBuild);
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    // --- transactions

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(String failure, SqlWork<T> work) {
        Connection connection = pool.take();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException(failure, e);
        } finally {
            pool.give(connection);
        }
    }

    /** Runs the work in one write transaction: committed when it returns, rolled back when it throws. */
    private <T> T write(SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            Connection connection = pool.take();
            try {
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
                pool.give(connection);
            }
        } finally {
            writeLock.unlock();
        }
    }

    // --- mapping

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private static <T> List<T> list(PreparedStatement query, RowMapper<T> mapper) throws SQLException {
        List<T> result = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
        }
        return List.copyOf(result);
    }

    private static <T> Optional<T> first(PreparedStatement query, RowMapper<T> mapper) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            return rows.next() ? Optional.of(mapper.map(rows)) : Optional.empty();
        }
    }

    private static ProjectRecord project(ResultSet row) throws SQLException {
        return new ProjectRecord(
                row.getString("name"),
                row.getString("display_name"),
                row.getString("summary"),
                EpochMicros.toInstant(row.getLong("created_us")),
                row.getLong("revision"));
    }

    private static StoredFile storedFile(ResultSet row) throws SQLException {
        boolean yanked = row.getInt("yanked") != 0;
        return new StoredFile(
                row.getString("project"),
                row.getString("version"),
                row.getString("filename"),
                row.getString("packagetype"),
                row.getLong("size"),
                row.getString("sha256"),
                BlobKey.of(row.getString("blob_key")),
                Optional.ofNullable(row.getString("requires_python")),
                Optional.ofNullable(row.getString("metadata_sha256")),
                Optional.ofNullable(row.getString("metadata_blob_key")).map(BlobKey::of),
                EpochMicros.toInstant(row.getLong("upload_time_us")),
                yanked ? Optional.of(Objects.requireNonNullElse(row.getString("yanked_reason"), "")) : Optional.empty(),
                row.getString("uploaded_by"));
    }

    private static TokenRecord tokenRecord(ResultSet row) throws SQLException {
        String scopes = row.getString("scopes");
        return new TokenRecord(
                row.getString("id"),
                row.getString("name"),
                row.getString("salt"),
                row.getString("secret_hash"),
                scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split(",")),
                Optional.ofNullable(row.getString("project_glob")),
                EpochMicros.toInstant(row.getLong("created_us")),
                optionalInstant(row, "expires_us"),
                optionalInstant(row, "last_used_us"));
    }

    private static StoredBuild storedBuild(ResultSet row) throws SQLException {
        return new StoredBuild(
                row.getString("project"),
                row.getString("version"),
                row.getString("tag"),
                row.getString("commit_id"),
                row.getString("status"),
                Optional.ofNullable(row.getString("reason")),
                EpochMicros.toInstant(row.getLong("queued_us")),
                optionalInstant(row, "started_us"),
                optionalInstant(row, "finished_us"));
    }

    private static Optional<Instant> optionalInstant(ResultSet row, String column) throws SQLException {
        long micros = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(EpochMicros.toInstant(micros));
    }

    private static void setOptionalString(PreparedStatement statement, int index, Optional<String> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static void setOptionalInstant(PreparedStatement statement, int index, Optional<Instant> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, EpochMicros.of(value.get()));
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }
}

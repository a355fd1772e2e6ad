package dev.wheelwright.storage.jdbc;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.CachedUpstreamFile;
import dev.wheelwright.storage.UpstreamCache;
import dev.wheelwright.storage.UpstreamSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@link UpstreamCache} over tables {@code upstream_snapshots} and {@code upstream_files}. Thread-safe. */
record JdbcUpstreamCache(Database db) implements UpstreamCache {
    private static final String SNAPSHOT_COLUMNS = "project, upstream, body, etag, last_modified, fetched_us";
    private static final String CACHED_COLUMNS = "filename, project, sha256, size, blob_key, cached_us";

    JdbcUpstreamCache {
        Objects.requireNonNull(db);
    }

    @Override
    public Optional<UpstreamSnapshot> upstreamSnapshot(ProjectName project) {
        Objects.requireNonNull(project);
        return db.first(
                "cannot read the upstream snapshot of " + project.normalized(),
                "SELECT " + SNAPSHOT_COLUMNS + " FROM upstream_snapshots WHERE project = ?",
                JdbcUpstreamCache::snapshot,
                project.normalized());
    }

    @Override
    public void putUpstreamSnapshot(UpstreamSnapshot snapshot) {
        Objects.requireNonNull(snapshot);
        // INSERT .. ON CONFLICT .. DO UPDATE is the same in SQLite (3.24+) and PostgreSQL (9.5+)
        db.update(
                "cannot store the upstream snapshot of " + snapshot.project().normalized(),
                """
                INSERT INTO upstream_snapshots (%s) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (project) DO UPDATE SET upstream = excluded.upstream, body = excluded.body,
                    etag = excluded.etag, last_modified = excluded.last_modified,
                    fetched_us = excluded.fetched_us""".formatted(SNAPSHOT_COLUMNS),
                upsert -> {
                    upsert.setString(1, snapshot.project().normalized());
                    upsert.setString(2, snapshot.upstream());
                    upsert.setString(3, snapshot.body());
                    Rows.setOptionalString(upsert, 4, snapshot.etag());
                    Rows.setOptionalString(upsert, 5, snapshot.lastModified());
                    upsert.setLong(6, EpochMicros.of(snapshot.fetched()));
                });
    }

    @Override
    public boolean deleteUpstreamSnapshot(ProjectName project) {
        Objects.requireNonNull(project);
        return db.update(
                        "cannot delete the upstream snapshot of " + project.normalized(),
                        "DELETE FROM upstream_snapshots WHERE project = ?",
                        delete -> delete.setString(1, project.normalized()))
                > 0;
    }

    @Override
    public Optional<CachedUpstreamFile> cachedUpstreamFile(String filename) {
        Objects.requireNonNull(filename);
        return db.read("cannot read cached upstream file " + filename, c -> cachedNamed(c, filename));
    }

    private static Optional<CachedUpstreamFile> cachedNamed(Connection c, String filename) throws SQLException {
        return Rows.first(
                c,
                "SELECT " + CACHED_COLUMNS + " FROM upstream_files WHERE filename = ?",
                JdbcUpstreamCache::cached,
                filename);
    }

    @Override
    public List<CachedUpstreamFile> cachedUpstreamFiles(ProjectName project) {
        Objects.requireNonNull(project);
        return db.list(
                "cannot list cached upstream files of " + project.normalized(),
                "SELECT " + CACHED_COLUMNS + " FROM upstream_files WHERE project = ? ORDER BY filename",
                JdbcUpstreamCache::cached,
                project.normalized());
    }

    @Override
    public Optional<CachedUpstreamFile> addCachedUpstreamFile(CachedUpstreamFile file) {
        Objects.requireNonNull(file);
        return db.addUnlessPresent(
                "cannot record cached upstream file " + file.filename(),
                "cannot read cached upstream file " + file.filename(),
                c -> cachedNamed(c, file.filename()),
                c -> {
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO upstream_files (" + CACHED_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                        insert.setString(1, file.filename());
                        insert.setString(2, file.project().normalized());
                        insert.setString(3, file.sha256());
                        insert.setLong(4, file.size());
                        insert.setString(5, file.blob().value());
                        insert.setLong(6, EpochMicros.of(file.cached()));
                        return insert.executeUpdate();
                    }
                });
    }

    @Override
    public boolean referencesBlob(BlobKey key) {
        Objects.requireNonNull(key);
        return db.exists(
                "cannot check references to blob " + key,
                "SELECT 1 FROM upstream_files WHERE blob_key = ?",
                key.value());
    }

    private static UpstreamSnapshot snapshot(ResultSet row) throws SQLException {
        return new UpstreamSnapshot(
                Rows.projectName(row.getString("project")),
                row.getString("upstream"),
                row.getString("body"),
                Optional.ofNullable(row.getString("etag")),
                Optional.ofNullable(row.getString("last_modified")),
                EpochMicros.toInstant(row.getLong("fetched_us")));
    }

    private static CachedUpstreamFile cached(ResultSet row) throws SQLException {
        return new CachedUpstreamFile(
                row.getString("filename"),
                Rows.projectName(row.getString("project")),
                row.getString("sha256"),
                row.getLong("size"),
                BlobKey.of(row.getString("blob_key")),
                EpochMicros.toInstant(row.getLong("cached_us")));
    }
}

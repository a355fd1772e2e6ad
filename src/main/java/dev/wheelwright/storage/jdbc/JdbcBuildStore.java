package dev.wheelwright.storage.jdbc;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BuildStatus;
import dev.wheelwright.storage.BuildStore;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredBuild;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@link BuildStore} over table {@code builds}; statuses are kept as their labels. Thread-safe. */
final class JdbcBuildStore implements BuildStore {
    private static final String BUILD_COLUMNS = """
            project, version, tag, commit_id, status, reason, queued_us, started_us, finished_us""";

    private final Database db;

    JdbcBuildStore(Database db) {
        this.db = Objects.requireNonNull(db);
    }

    @Override
    public Optional<StoredBuild> addBuild(StoredBuild build) {
        Objects.requireNonNull(build);
        try {
            return db.write(c -> {
                Optional<StoredBuild> existing = buildOf(c, build.project(), build.version());
                if (existing.isPresent()) {
                    return existing;
                }
                try (PreparedStatement insert = c.prepareStatement("""
                        INSERT INTO builds (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(BUILD_COLUMNS))) {
                    insert.setString(1, build.project().normalized());
                    insert.setString(2, build.version().normalized());
                    insert.setString(3, build.tag());
                    insert.setString(4, build.commit());
                    insert.setString(5, build.status().label());
                    Rows.setOptionalString(insert, 6, build.reason());
                    insert.setLong(7, EpochMicros.of(build.queued()));
                    Rows.setOptionalInstant(insert, 8, build.started());
                    Rows.setOptionalInstant(insert, 9, build.finished());
                    insert.executeUpdate();
                }
                return Optional.empty();
            });
        } catch (SQLException e) {
            if (db.dialect().isUniqueViolation(e)) {
                Optional<StoredBuild> winner = build(build.project(), build.version());
                if (winner.isPresent()) {
                    return winner;
                }
            }
            throw new StorageException("cannot record the build of " + release(build.project(), build.version()), e);
        }
    }

    @Override
    public boolean updateBuild(StoredBuild build) {
        Objects.requireNonNull(build);
        try {
            return db.write(c -> {
                try (PreparedStatement update = c.prepareStatement("""
                        UPDATE builds SET tag = ?, commit_id = ?, status = ?, reason = ?, queued_us = ?, started_us = ?,
                            finished_us = ?
                        WHERE project = ? AND version = ?""")) {
                    update.setString(1, build.tag());
                    update.setString(2, build.commit());
                    update.setString(3, build.status().label());
                    Rows.setOptionalString(update, 4, build.reason());
                    update.setLong(5, EpochMicros.of(build.queued()));
                    Rows.setOptionalInstant(update, 6, build.started());
                    Rows.setOptionalInstant(update, 7, build.finished());
                    update.setString(8, build.project().normalized());
                    update.setString(9, build.version().normalized());
                    return update.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw new StorageException("cannot update the build of " + release(build.project(), build.version()), e);
        }
    }

    @Override
    public Optional<StoredBuild> build(ProjectName project, Version version) {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        return db.read("cannot read the build of " + release(project, version), c -> buildOf(c, project, version));
    }

    private static Optional<StoredBuild> buildOf(Connection c, ProjectName project, Version version)
            throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT %s FROM builds WHERE project = ? AND version = ?""".formatted(BUILD_COLUMNS))) {
            query.setString(1, project.normalized());
            query.setString(2, version.normalized());
            return Rows.first(query, JdbcBuildStore::storedBuild);
        }
    }

    @Override
    public List<StoredBuild> builds(ProjectName project) {
        Objects.requireNonNull(project);
        return db.read("cannot list the builds of " + project.normalized(), c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT %s FROM builds WHERE project = ?
                    ORDER BY queued_us DESC, version""".formatted(BUILD_COLUMNS))) {
                query.setString(1, project.normalized());
                return Rows.list(query, JdbcBuildStore::storedBuild);
            }
        });
    }

    @Override
    public List<StoredBuild> unfinishedBuilds() {
        return db.read("cannot list unfinished builds", c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT %s FROM builds WHERE status IN (?, ?)
                    ORDER BY queued_us, project, version""".formatted(BUILD_COLUMNS))) {
                query.setString(1, BuildStatus.QUEUED.label());
                query.setString(2, BuildStatus.RUNNING.label());
                return Rows.list(query, JdbcBuildStore::storedBuild);
            }
        });
    }

    private static String release(ProjectName project, Version version) {
        return project.normalized() + " " + version.normalized();
    }

    private static StoredBuild storedBuild(ResultSet row) throws SQLException {
        return new StoredBuild(
                Rows.projectName(row.getString("project")),
                Rows.version(row.getString("version")),
                row.getString("tag"),
                row.getString("commit_id"),
                BuildStatus.ofLabel(row.getString("status")),
                Optional.ofNullable(row.getString("reason")),
                EpochMicros.toInstant(row.getLong("queued_us")),
                Rows.optionalInstant(row, "started_us"),
                Rows.optionalInstant(row, "finished_us"));
    }
}

package dev.wheelwright.storage.jdbc;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BuildStatus;
import dev.wheelwright.storage.BuildStore;
import dev.wheelwright.storage.BuilderIdentity;
import dev.wheelwright.storage.StoredBuild;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The {@link BuildStore} over table {@code builds}; statuses are kept as their labels. Thread-safe. */
record JdbcBuildStore(Database db) implements BuildStore {
    private static final String BUILD_COLUMNS = """
            project, version, tag, commit_id, status, reason, queued_us, started_us, finished_us, builder_host,
            builder_backend, builder_backend_version, builder_python""";

    JdbcBuildStore {
        Objects.requireNonNull(db);
    }

    @Override
    public Optional<StoredBuild> addBuild(StoredBuild build) {
        Objects.requireNonNull(build);
        return db.addUnlessPresent(
                "cannot record the build of " + release(build.project(), build.version()),
                "cannot read the build of " + release(build.project(), build.version()),
                c -> buildOf(c, build.project(), build.version()),
                c -> {
                    try (PreparedStatement insert = c.prepareStatement("""
                            INSERT INTO builds (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(BUILD_COLUMNS))) {
                        insert.setString(1, build.project().normalized());
                        insert.setString(2, build.version().normalized());
                        bindState(insert, 3, build);
                        return insert.executeUpdate();
                    }
                });
    }

    @Override
    public boolean updateBuild(StoredBuild build) {
        Objects.requireNonNull(build);
        return db.update("cannot update the build of " + release(build.project(), build.version()), """
                        UPDATE builds SET tag = ?, commit_id = ?, status = ?, reason = ?, queued_us = ?, started_us = ?,
                            finished_us = ?, builder_host = ?, builder_backend = ?, builder_backend_version = ?,
                            builder_python = ?
                        WHERE project = ? AND version = ?""", update -> {
                    bindState(update, 1, build);
                    update.setString(12, build.project().normalized());
                    update.setString(13, build.version().normalized());
                })
                > 0;
    }

    /**
     * Binds what changes in a build's life, columns tag to builder_python in table order, from parameter
     * {@code first}.
     */
    private static void bindState(PreparedStatement statement, int first, StoredBuild build) throws SQLException {
        statement.setString(first, build.tag());
        statement.setString(first + 1, build.commit());
        statement.setString(first + 2, build.status().label());
        Rows.setOptionalString(statement, first + 3, build.reason());
        statement.setLong(first + 4, EpochMicros.of(build.queued()));
        Rows.setOptionalInstant(statement, first + 5, build.started());
        Rows.setOptionalInstant(statement, first + 6, build.finished());
        Rows.setOptionalString(statement, first + 7, build.builder().host());
        Rows.setOptionalString(statement, first + 8, build.builder().backend());
        Rows.setOptionalString(statement, first + 9, build.builder().backendVersion());
        Rows.setOptionalString(statement, first + 10, build.builder().python());
    }

    @Override
    public Optional<StoredBuild> build(ProjectName project, Version version) {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        return db.read("cannot read the build of " + release(project, version), c -> buildOf(c, project, version));
    }

    private static Optional<StoredBuild> buildOf(Connection c, ProjectName project, Version version)
            throws SQLException {
        return Rows.first(
                c,
                """
                SELECT %s FROM builds WHERE project = ? AND version = ?""".formatted(BUILD_COLUMNS),
                JdbcBuildStore::storedBuild,
                project.normalized(),
                version.normalized());
    }

    @Override
    public List<StoredBuild> builds(ProjectName project) {
        Objects.requireNonNull(project);
        return db.list(
                "cannot list the builds of " + project.normalized(),
                """
                SELECT %s FROM builds WHERE project = ?
                ORDER BY queued_us DESC, version""".formatted(BUILD_COLUMNS),
                JdbcBuildStore::storedBuild,
                project.normalized());
    }

    @Override
    public List<StoredBuild> recentBuilds(int limit) {
        if (limit < 1) {
            return List.of();
        }
        return db.list("cannot list recent builds", """
                SELECT %s FROM builds ORDER BY queued_us DESC, project, version LIMIT %d""".formatted(BUILD_COLUMNS, limit), JdbcBuildStore::storedBuild);
    }

    @Override
    public List<StoredBuild> unfinishedBuilds() {
        return db.list(
                "cannot list unfinished builds",
                """
                SELECT %s FROM builds WHERE status IN (?, ?)
                ORDER BY queued_us, project, version""".formatted(BUILD_COLUMNS),
                JdbcBuildStore::storedBuild,
                BuildStatus.QUEUED.label(),
                BuildStatus.RUNNING.label());
    }

    /** Every build, by project and version. */
    List<StoredBuild> all() {
        return db.list(
                "cannot list builds",
                "SELECT %s FROM builds ORDER BY project, version".formatted(BUILD_COLUMNS),
                JdbcBuildStore::storedBuild);
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
                Rows.optionalInstant(row, "finished_us"),
                new BuilderIdentity(
                        Optional.ofNullable(row.getString("builder_host")),
                        Optional.ofNullable(row.getString("builder_backend")),
                        Optional.ofNullable(row.getString("builder_backend_version")),
                        Optional.ofNullable(row.getString("builder_python"))));
    }
}

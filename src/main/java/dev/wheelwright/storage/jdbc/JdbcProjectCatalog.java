package dev.wheelwright.storage.jdbc;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.PackageType;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The {@link ProjectCatalog} over tables {@code projects} and {@code files}. Thread-safe. */
final class JdbcProjectCatalog implements ProjectCatalog {
    private static final String PROJECT_COLUMNS = "name, display_name, summary, created_us, revision";
    private static final String FILE_COLUMNS = """
            project, version, filename, packagetype, size, sha256, blob_key, requires_python, metadata_sha256,
            metadata_blob_key, upload_time_us, yanked, yanked_reason, uploaded_by""";

    /** A file's project row: added, or its display name and summary replaced and its revision moved. */
    private static final String UPSERT_PROJECT = """
            INSERT INTO projects (name, display_name, summary, created_us, revision)
            VALUES (?, ?, ?, ?, 1)
            ON CONFLICT (name) DO UPDATE SET
                display_name = excluded.display_name,
                summary = excluded.summary,
                revision = projects.revision + 1""";

    private static final String INSERT_FILE =
            "INSERT INTO files (" + FILE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Built once: these run for every file an import stages. */
    private static final String SELECT_FILES =
            "SELECT " + FILE_COLUMNS + " FROM files WHERE project = ? ORDER BY upload_time_us, filename";

    private static final String SELECT_FILE =
            "SELECT " + FILE_COLUMNS + " FROM files WHERE project = ? AND filename = ?";

    private final Database db;

    JdbcProjectCatalog(Database db) {
        this.db = Objects.requireNonNull(db);
    }

    @Override
    public long changeStamp() {
        return db.changeStamp();
    }

    @Override
    public List<ProjectRecord> projects() {
        return db.list(
                "cannot list projects",
                "SELECT " + PROJECT_COLUMNS + " FROM projects ORDER BY name",
                row -> project(row, Rows.projectName(row.getString("name"))));
    }

    @Override
    public Optional<ProjectRecord> project(ProjectName name) {
        Objects.requireNonNull(name);
        ProjectName stored = Rows.normalizedSpelling(name); // the row's name: no parse on this hot path
        return db.first(
                "cannot read project " + name.normalized(),
                "SELECT " + PROJECT_COLUMNS + " FROM projects WHERE name = ?",
                row -> project(row, stored),
                name.normalized());
    }

    @Override
    public List<StoredFile> files(ProjectName project) {
        Objects.requireNonNull(project);
        return db.list(
                "cannot list the files of " + project.normalized(),
                SELECT_FILES,
                new FileMapper()::map,
                project.normalized());
    }

    @Override
    public List<StoredFile> recentFiles(int limit) {
        return db.read("cannot list the recent files", c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT %s FROM files
                    ORDER BY upload_time_us DESC, filename
                    LIMIT ?""".formatted(FILE_COLUMNS))) {
                query.setInt(1, limit);
                return Rows.list(query, new FileMapper()::map);
            }
        });
    }

    @Override
    public Optional<StoredFile> file(ProjectName project, String filename) {
        Objects.requireNonNull(project);
        Objects.requireNonNull(filename);
        return db.first(
                "cannot read file " + filename, SELECT_FILE, new FileMapper()::map, project.normalized(), filename);
    }

    @Override
    public Optional<StoredFile> addFile(StoredFile file, String displayName, String summary) {
        Objects.requireNonNull(file);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(summary);
        return db.addUnlessPresent(
                "cannot record file " + file.filename(),
                "cannot read file " + file.filename(),
                c -> fileNamed(c, file.filename()),
                c -> {
                    try (PreparedStatement upsert = c.prepareStatement(UPSERT_PROJECT)) {
                        bindProject(upsert, file, displayName, summary);
                        upsert.executeUpdate();
                    }
                    try (PreparedStatement insert = c.prepareStatement(INSERT_FILE)) {
                        bindFile(insert, file);
                        return insert.executeUpdate();
                    }
                });
    }

    @Override
    public List<Optional<StoredFile>> addFiles(List<NewFile> files) {
        List<NewFile> batch = List.copyOf(files);
        if (batch.isEmpty()) {
            return List.of();
        }
        try {
            return db.write(c -> {
                List<Optional<StoredFile>> answers = new ArrayList<>(batch.size());
                try (PreparedStatement upsert = c.prepareStatement(UPSERT_PROJECT);
                        PreparedStatement insert = c.prepareStatement(INSERT_FILE)) {
                    for (NewFile added : batch) {
                        Optional<StoredFile> existing =
                                fileNamed(c, added.file().filename());
                        if (existing.isEmpty()) {
                            bindProject(upsert, added.file(), added.displayName(), added.summary());
                            upsert.executeUpdate();
                            bindFile(insert, added.file());
                            insert.executeUpdate();
                        }
                        answers.add(existing);
                    }
                }
                return answers;
            });
        } catch (SQLException e) {
            if (db.dialect().isUniqueViolation(e)) {
                // a writer in another process added one of these files meanwhile (PostgreSQL's transactions do not
                // exclude each other), which aborts the whole transaction: one at a time, each finds what is there
                List<Optional<StoredFile>> answers = new ArrayList<>(batch.size());
                for (NewFile added : batch) {
                    answers.add(addFile(added.file(), added.displayName(), added.summary()));
                }
                return answers;
            }
            throw new StorageException("cannot record " + batch.size() + " files", e);
        }
    }

    private static Optional<StoredFile> fileNamed(Connection c, String filename) throws SQLException {
        return Rows.first(c, """
                SELECT %s FROM files WHERE filename = ?""".formatted(FILE_COLUMNS), new FileMapper()::map, filename);
    }

    private static void bindProject(PreparedStatement upsert, StoredFile file, String displayName, String summary)
            throws SQLException {
        upsert.setString(1, file.project().normalized());
        upsert.setString(2, displayName);
        upsert.setString(3, summary);
        upsert.setLong(4, EpochMicros.of(file.uploadTime()));
    }

    private static void bindFile(PreparedStatement insert, StoredFile file) throws SQLException {
        insert.setString(1, file.project().normalized());
        insert.setString(2, file.version().normalized());
        insert.setString(3, file.filename());
        insert.setString(4, file.packagetype().label());
        insert.setLong(5, file.size());
        insert.setString(6, file.sha256());
        insert.setString(7, file.blob().value());
        Rows.setOptionalString(insert, 8, file.requiresPython());
        Rows.setOptionalString(insert, 9, file.metadataSha256());
        Rows.setOptionalString(insert, 10, file.metadataBlob().map(BlobKey::value));
        insert.setLong(11, EpochMicros.of(file.uploadTime()));
        insert.setInt(12, file.yankedReason().isPresent() ? 1 : 0);
        Rows.setOptionalString(insert, 13, file.yankedReason());
        insert.setString(14, file.uploadedBy());
    }

    @Override
    public boolean setYanked(ProjectName project, String filename, Optional<String> reason) {
        Objects.requireNonNull(project);
        Objects.requireNonNull(filename);
        Objects.requireNonNull(reason);
        try {
            return db.write(c -> {
                int changed;
                try (PreparedStatement update = c.prepareStatement("""
                        UPDATE files SET yanked = ?, yanked_reason = ? WHERE project = ? AND filename = ?""")) {
                    update.setInt(1, reason.isPresent() ? 1 : 0);
                    Rows.setOptionalString(update, 2, reason);
                    update.setString(3, project.normalized());
                    update.setString(4, filename);
                    changed = update.executeUpdate();
                }
                if (changed == 0) {
                    return false;
                }
                try (PreparedStatement bump =
                        c.prepareStatement("UPDATE projects SET revision = revision + 1 WHERE name = ?")) {
                    bump.setString(1, project.normalized());
                    bump.executeUpdate();
                }
                return true;
            });
        } catch (SQLException e) {
            throw new StorageException("cannot change the yank of " + filename, e);
        }
    }

    @Override
    public boolean referencesBlob(BlobKey key) {
        Objects.requireNonNull(key);
        // two lookups rather than OR, so each can use its index
        return db.exists("cannot check references to blob " + key, """
                SELECT 1 FROM files WHERE blob_key = ?
                UNION ALL
                SELECT 1 FROM files WHERE metadata_blob_key = ?""", key.value(), key.value());
    }

    private static ProjectRecord project(ResultSet row, ProjectName name) throws SQLException {
        return new ProjectRecord(
                name,
                row.getString("display_name"),
                row.getString("summary"),
                EpochMicros.toInstant(row.getLong("created_us")),
                row.getLong("revision"));
    }

    /** Maps file rows of one query; parses each distinct project name and version once. */
    private static final class FileMapper {
        private final Map<String, ProjectName> names = new HashMap<>();
        private final Map<String, Version> versions = new HashMap<>();

        StoredFile map(ResultSet row) throws SQLException {
            boolean yanked = row.getInt("yanked") != 0;
            return new StoredFile(
                    names.computeIfAbsent(row.getString("project"), Rows::projectName),
                    versions.computeIfAbsent(row.getString("version"), Rows::version),
                    row.getString("filename"),
                    PackageType.ofLabel(row.getString("packagetype")),
                    row.getLong("size"),
                    row.getString("sha256"),
                    BlobKey.of(row.getString("blob_key")),
                    Optional.ofNullable(row.getString("requires_python")),
                    Optional.ofNullable(row.getString("metadata_sha256")),
                    Optional.ofNullable(row.getString("metadata_blob_key")).map(BlobKey::of),
                    EpochMicros.toInstant(row.getLong("upload_time_us")),
                    yanked
                            ? Optional.of(Objects.requireNonNullElse(row.getString("yanked_reason"), ""))
                            : Optional.empty(),
                    row.getString("uploaded_by"));
        }
    }
}

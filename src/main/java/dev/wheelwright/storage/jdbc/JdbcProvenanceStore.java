package dev.wheelwright.storage.jdbc;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.FileProvenance;
import dev.wheelwright.storage.ProvenanceStore;
import dev.wheelwright.storage.SigningKeyRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ProvenanceStore} over tables {@code file_provenance} and {@code signing_keys}; lists are kept one item a
 * line. Thread-safe.
 */
record JdbcProvenanceStore(Database db) implements ProvenanceStore {
    /** The name of the one signing key a store has. */
    private static final String KEY_NAME = "provenance";

    private static final String SELECT_KEY =
            "SELECT algorithm, public_key, private_key, created_us FROM signing_keys WHERE name = ?";

    private static final String COLUMNS = """
            filename, project, version, sha256, repository, tag, tag_object, commit_id, subdirectory, source_sha256,
            wheelwright_version, builder_host, backend, backend_version, python, environment_id, environment_requires,
            environment_installed, started_us, finished_us""";

    JdbcProvenanceStore {
        Objects.requireNonNull(db);
    }

    @Override
    public void putProvenance(FileProvenance p) {
        Objects.requireNonNull(p);
        db.update("cannot record the provenance of " + p.filename(), """
                INSERT INTO file_provenance (%s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (filename) DO UPDATE SET project = excluded.project, version = excluded.version,
                    sha256 = excluded.sha256, repository = excluded.repository, tag = excluded.tag,
                    tag_object = excluded.tag_object, commit_id = excluded.commit_id,
                    subdirectory = excluded.subdirectory, source_sha256 = excluded.source_sha256,
                    wheelwright_version = excluded.wheelwright_version, builder_host = excluded.builder_host,
                    backend = excluded.backend, backend_version = excluded.backend_version, python = excluded.python,
                    environment_id = excluded.environment_id, environment_requires = excluded.environment_requires,
                    environment_installed = excluded.environment_installed, started_us = excluded.started_us,
                    finished_us = excluded.finished_us""".formatted(COLUMNS), insert -> bind(insert, p));
    }

    private static void bind(PreparedStatement s, FileProvenance p) throws SQLException {
        s.setString(1, p.filename());
        s.setString(2, p.project().normalized());
        s.setString(3, p.version().normalized());
        s.setString(4, p.sha256());
        s.setString(5, p.source().repository());
        s.setString(6, p.source().tag());
        Rows.setOptionalString(s, 7, p.source().tagObject());
        s.setString(8, p.source().commit());
        Rows.setOptionalString(s, 9, p.source().subdirectory());
        s.setString(10, p.source().treeSha256());
        s.setString(11, p.builder().wheelwright());
        s.setString(12, p.builder().host());
        s.setString(13, p.builder().backend());
        Rows.setOptionalString(s, 14, p.builder().backendVersion());
        Rows.setOptionalString(s, 15, p.builder().python());
        s.setString(16, p.builder().environmentId());
        s.setString(17, lines(p.builder().requires()));
        s.setString(18, lines(p.builder().installed()));
        s.setLong(19, EpochMicros.of(p.started()));
        s.setLong(20, EpochMicros.of(p.finished()));
    }

    @Override
    public Optional<FileProvenance> provenance(String filename) {
        Objects.requireNonNull(filename);
        return select("filename", filename).stream().findFirst();
    }

    @Override
    public List<FileProvenance> provenanceOf(ProjectName project) {
        return select("project", project.normalized());
    }

    /** The records whose {@code column} (filename or project) is {@code value}, by filename. */
    private List<FileProvenance> select(String column, String value) {
        return db.list(
                "cannot read the provenance of " + value,
                "SELECT %s FROM file_provenance WHERE %s = ? ORDER BY filename".formatted(COLUMNS, column),
                JdbcProvenanceStore::provenance,
                value);
    }

    @Override
    public Optional<SigningKeyRecord> signingKey() {
        return db.read("cannot read the signing key", JdbcProvenanceStore::signingKeyOf);
    }

    private static Optional<SigningKeyRecord> signingKeyOf(Connection c) throws SQLException {
        return Rows.first(c, SELECT_KEY, JdbcProvenanceStore::signingKey, KEY_NAME);
    }

    @Override
    public Optional<SigningKeyRecord> addSigningKey(SigningKeyRecord key) {
        Objects.requireNonNull(key);
        return db.addUnlessPresent(
                "cannot record the signing key",
                "cannot read the signing key",
                JdbcProvenanceStore::signingKeyOf,
                c -> {
                    try (PreparedStatement insert = c.prepareStatement("""
                            INSERT INTO signing_keys (name, algorithm, public_key, private_key, created_us)
                            VALUES (?, ?, ?, ?, ?)""")) {
                        insert.setString(1, KEY_NAME);
                        insert.setString(2, key.algorithm());
                        insert.setString(3, key.publicKey());
                        insert.setString(4, key.privateKey());
                        insert.setLong(5, EpochMicros.of(key.created()));
                        return insert.executeUpdate();
                    }
                });
    }

    private static FileProvenance provenance(ResultSet row) throws SQLException {
        String filename = row.getString("filename");
        return new FileProvenance(
                Rows.projectName(row.getString("project")),
                Rows.version(row.getString("version")),
                filename,
                row.getString("sha256"),
                new FileProvenance.Source(
                        row.getString("repository"),
                        row.getString("tag"),
                        Optional.ofNullable(row.getString("tag_object")),
                        row.getString("commit_id"),
                        Optional.ofNullable(row.getString("subdirectory")),
                        row.getString("source_sha256")),
                new FileProvenance.Builder(
                        row.getString("wheelwright_version"),
                        row.getString("builder_host"),
                        row.getString("backend"),
                        Optional.ofNullable(row.getString("backend_version")),
                        Optional.ofNullable(row.getString("python")),
                        row.getString("environment_id"),
                        items(row.getString("environment_requires")),
                        items(row.getString("environment_installed"))),
                EpochMicros.toInstant(row.getLong("started_us")),
                EpochMicros.toInstant(row.getLong("finished_us")));
    }

    private static SigningKeyRecord signingKey(ResultSet row) throws SQLException {
        return new SigningKeyRecord(
                row.getString("algorithm"),
                row.getString("public_key"),
                row.getString("private_key"),
                EpochMicros.toInstant(row.getLong("created_us")));
    }

    private static String lines(List<String> items) {
        return String.join("\n", items);
    }

    private static List<String> items(String lines) {
        return lines.isEmpty() ? List.of() : List.of(lines.split("\n", -1));
    }
}

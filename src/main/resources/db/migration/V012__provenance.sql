-- Provenance of built files (#9): for each file a build stored, where its sources came from (repository, tag, tag
-- object, commit, subdirectory, the sha256 of the exported tree), what built it (Wheelwright's version, the host, the
-- PEP 517 backend and its version, Python, the build environment: its id, requirement set and installed
-- distributions, one per line) and when (start and end, epoch microseconds). Written before the file itself, so a
-- stored file built here always has its row; a row whose file was never stored is never shown.

CREATE TABLE file_provenance (
    filename TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    version TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    repository TEXT NOT NULL,
    tag TEXT NOT NULL,
    tag_object TEXT,
    commit_id TEXT NOT NULL,
    subdirectory TEXT,
    source_sha256 TEXT NOT NULL,
    wheelwright_version TEXT NOT NULL,
    builder_host TEXT NOT NULL,
    backend TEXT NOT NULL,
    backend_version TEXT,
    python TEXT,
    environment_id TEXT NOT NULL,
    environment_requires TEXT NOT NULL,
    environment_installed TEXT NOT NULL,
    started_us BIGINT NOT NULL,
    finished_us BIGINT NOT NULL
);

-- the project page lists which of a project's files have provenance
CREATE INDEX file_provenance_by_project ON file_provenance (project);

-- The key provenance statements are signed with (Ed25519), one per store so every replica signs with the same key:
-- made by the first server that starts without one. Both halves base64 DER (X.509 SubjectPublicKeyInfo, PKCS #8).
CREATE TABLE signing_keys (
    name TEXT PRIMARY KEY,
    algorithm TEXT NOT NULL,
    public_key TEXT NOT NULL,
    private_key TEXT NOT NULL,
    created_us BIGINT NOT NULL
);

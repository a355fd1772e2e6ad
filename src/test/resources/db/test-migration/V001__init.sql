-- Portable SQL (SQLite and PostgreSQL): TEXT/BIGINT/INTEGER columns, timestamps as epoch microseconds,
-- booleans as INTEGER 0/1, absent optional values as NULL.

CREATE TABLE projects (
    name TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_us BIGINT NOT NULL,
    revision BIGINT NOT NULL
);

CREATE TABLE files (
    filename TEXT PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects (name),
    version TEXT NOT NULL,
    packagetype TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    blob_key TEXT NOT NULL,
    requires_python TEXT,
    metadata_sha256 TEXT,
    metadata_blob_key TEXT,
    upload_time_us BIGINT NOT NULL,
    yanked INTEGER NOT NULL DEFAULT 0,
    yanked_reason TEXT,
    uploaded_by TEXT NOT NULL
);

-- files(project) ordered as the index lists them
CREATE INDEX files_by_project ON files (project, upload_time_us, filename);
-- garbage collection asks whether a blob is still referenced
CREATE INDEX files_by_blob_key ON files (blob_key);
CREATE INDEX files_by_metadata_blob_key ON files (metadata_blob_key);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    project_glob TEXT,
    created_us BIGINT NOT NULL,
    expires_us BIGINT,
    last_used_us BIGINT
);

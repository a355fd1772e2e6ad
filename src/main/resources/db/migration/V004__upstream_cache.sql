-- The upstream proxy's cache index: the last page fetched per project, and the upstream files kept as blobs.

CREATE TABLE upstream_snapshots (
    project TEXT PRIMARY KEY,
    upstream TEXT NOT NULL,
    body TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    fetched_us BIGINT NOT NULL
);

CREATE TABLE upstream_files (
    filename TEXT PRIMARY KEY,
    project TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    blob_key TEXT NOT NULL,
    cached_us BIGINT NOT NULL
);

CREATE INDEX upstream_files_by_project ON upstream_files (project, filename);
CREATE INDEX upstream_files_by_blob_key ON upstream_files (blob_key);

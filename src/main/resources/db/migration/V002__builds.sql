-- Builds of releases from git tags: one row per (project, version), kept after success or failure so a release is
-- built once, also across restarts. Status: queued, running, succeeded, failed. Times as epoch microseconds.

CREATE TABLE builds (
    project TEXT NOT NULL,
    version TEXT NOT NULL,
    tag TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    queued_us BIGINT NOT NULL,
    started_us BIGINT,
    finished_us BIGINT,
    PRIMARY KEY (project, version)
);

-- restart recovery looks for builds that had not finished
CREATE INDEX builds_by_status ON builds (status, queued_us);

-- Who built a release (#10): the host whose worker ran the build, the PEP 517 backend and its installed version, and
-- the build environment's Python version. NULL until the build learned them, and for builds recorded before.

ALTER TABLE builds ADD COLUMN builder_host TEXT;
ALTER TABLE builds ADD COLUMN builder_backend TEXT;
ALTER TABLE builds ADD COLUMN builder_backend_version TEXT;
ALTER TABLE builds ADD COLUMN builder_python TEXT;

-- the home page's recent releases list the newest builds of every project
CREATE INDEX builds_by_queued ON builds (queued_us);

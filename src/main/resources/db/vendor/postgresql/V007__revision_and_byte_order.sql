-- PostgreSQL only: what SQLite has built in.
--
-- 1. One row every write transaction updates first (PostgresDialect.beginWrite). Its row lock serializes writers of
--    every replica, as SQLite's BEGIN IMMEDIATE does, so a read-then-write in one transaction cannot be overtaken;
--    and its value is the catalog's change stamp (SQLite: PRAGMA data_version), read by one primary-key lookup.
CREATE TABLE metadata_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO metadata_revision (id, value) VALUES (1, 0);

-- 2. Names and file names compare and sort byte by byte (code point order), as in SQLite, whatever locale the
--    database was created with: listings come out in the same order on both engines.
ALTER TABLE files ALTER COLUMN project TYPE TEXT COLLATE "C", ALTER COLUMN filename TYPE TEXT COLLATE "C";
ALTER TABLE projects ALTER COLUMN name TYPE TEXT COLLATE "C";
ALTER TABLE tokens ALTER COLUMN name TYPE TEXT COLLATE "C";
ALTER TABLE builds ALTER COLUMN project TYPE TEXT COLLATE "C", ALTER COLUMN version TYPE TEXT COLLATE "C";
ALTER TABLE upstream_snapshots ALTER COLUMN project TYPE TEXT COLLATE "C";
ALTER TABLE upstream_files ALTER COLUMN filename TYPE TEXT COLLATE "C", ALTER COLUMN project TYPE TEXT COLLATE "C";

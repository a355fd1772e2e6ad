-- Leases on named resources shared by every replica of one store (builds of a release, fetches of a repository):
-- the holder of a live lease does the guarded work; an expired lease may be taken by anyone. Times as epoch
-- microseconds of the holders' clocks.

CREATE TABLE leases (
    resource TEXT NOT NULL PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_us BIGINT NOT NULL
);

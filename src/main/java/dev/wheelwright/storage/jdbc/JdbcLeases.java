package dev.wheelwright.storage.jdbc;

import dev.wheelwright.storage.Leases;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Leases} over table {@code leases}. Taking a lease is one upsert whose update applies only to an expired
 * lease or the owner's own, so the database decides between concurrent takers (SQLite and PostgreSQL both have
 * {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}). Thread-safe.
 */
record JdbcLeases(Database db) implements Leases {
    JdbcLeases {
        Objects.requireNonNull(db);
    }

    @Override
    public boolean acquire(String resource, String owner, Instant now, Instant until) {
        Objects.requireNonNull(resource);
        Objects.requireNonNull(owner);
        return db.update("cannot take the lease on " + resource, """
                        INSERT INTO leases (resource, owner, expires_us) VALUES (?, ?, ?)
                        ON CONFLICT (resource) DO UPDATE SET owner = excluded.owner, expires_us = excluded.expires_us
                        WHERE leases.expires_us <= ? OR leases.owner = excluded.owner""", upsert -> {
                    upsert.setString(1, resource);
                    upsert.setString(2, owner);
                    upsert.setLong(3, EpochMicros.of(until));
                    upsert.setLong(4, EpochMicros.of(now));
                })
                > 0;
    }

    @Override
    public boolean release(String resource, String owner) {
        return db.update(
                        "cannot release the lease on " + resource,
                        "DELETE FROM leases WHERE resource = ? AND owner = ?",
                        delete -> {
                            delete.setString(1, resource);
                            delete.setString(2, owner);
                        })
                > 0;
    }

    @Override
    public Optional<Lease> holder(String resource) {
        return db.first(
                "cannot read the lease on " + resource,
                "SELECT resource, owner, expires_us FROM leases WHERE resource = ?",
                row -> new Lease(
                        row.getString("resource"),
                        row.getString("owner"),
                        EpochMicros.toInstant(row.getLong("expires_us"))),
                resource);
    }
}

package dev.wheelwright.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * Time-bounded leases on named resources, shared by every process (replica) that opens the same store: the one
 * holder of a live lease does the work it guards (builds one release, fetches one repository), the others leave it
 * alone, and a holder that dies loses its lease when it expires. Expiry times come from the holders' clocks, so
 * replicas' clocks must agree to well within a lease's length (NTP does). Thread-safe; every write is one
 * transaction; backend failures throw {@link StorageException}.
 */
public interface Leases {
    /**
     * Takes the lease on {@code resource} for {@code owner} until {@code until} when nobody holds it, when its holder's
     * lease had expired at {@code now}, or when {@code owner} already holds it (then it is renewed). Of concurrent
     * callers at most one succeeds while the lease is live.
     *
     * @return whether {@code owner} now holds the lease
     */
    boolean acquire(String resource, String owner, Instant now, Instant until);

    /** Gives up {@code owner}'s lease on {@code resource}; false when {@code owner} did not hold it. */
    boolean release(String resource, String owner);

    /** Who holds (or last held, when expired and not taken since) the lease on {@code resource}. */
    Optional<Lease> holder(String resource);

    /** A lease: {@code owner} holds {@code resource} until {@code expires}. */
    record Lease(String resource, String owner, Instant expires) {
        /** Whether the lease still holds at {@code now}. */
        public boolean liveAt(Instant now) {
            return now.isBefore(expires);
        }
    }
}

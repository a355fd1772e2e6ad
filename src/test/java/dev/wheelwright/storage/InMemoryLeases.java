package dev.wheelwright.storage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link Leases} in a map, for tests of the services; the contract suite checks it like the real ones. */
public class InMemoryLeases implements Leases {
    private final Map<String, Lease> leases = new HashMap<>();

    @Override
    public synchronized boolean acquire(String resource, String owner, Instant now, Instant until) {
        Lease held = leases.get(resource);
        if (held != null && held.liveAt(now) && !held.owner().equals(owner)) {
            return false;
        }
        leases.put(resource, new Lease(resource, owner, until.truncatedTo(ChronoUnit.MICROS)));
        return true;
    }

    @Override
    public synchronized boolean release(String resource, String owner) {
        Lease held = leases.get(resource);
        if (held == null || !held.owner().equals(owner)) {
            return false;
        }
        leases.remove(resource);
        return true;
    }

    @Override
    public synchronized Optional<Lease> holder(String resource) {
        return Optional.ofNullable(leases.get(resource));
    }
}

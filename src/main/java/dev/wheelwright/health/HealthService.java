package dev.wheelwright.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Readiness: whether this server can serve (its metadata store answers with the schema fully migrated, its artifact
 * store is there), and which remotes it depends on are degraded right now (git remotes whose last fetch failed,
 * upstream indexes whose last request failed). Degraded remotes do not make the server unready: what is known is still
 * served. Each probe is asked on every call; a probe that throws counts as failed. Thread-safe.
 */
public final class HealthService {
    /** A remote whose last contact failed, since when, and why when that is known. */
    public record Degraded(String name, Instant since, String problem) {
        public Degraded {
            Objects.requireNonNull(name);
            Objects.requireNonNull(since);
            Objects.requireNonNull(problem);
        }
    }

    /**
     * The answer of one readiness probe.
     *
     * @param ready every check passed
     * @param checks each check by name ({@code metadata}, {@code migrations}, {@code artifacts}) and its result: ok,
     *     or one sentence saying what failed
     * @param git the degraded git remotes
     * @param upstreams the degraded upstream indexes
     */
    public record Readiness(boolean ready, Map<String, String> checks, List<Degraded> git, List<Degraded> upstreams) {
        public Readiness {
            checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
            git = List.copyOf(git);
            upstreams = List.copyOf(upstreams);
        }
    }

    static final String OK = "ok";

    private final BooleanSupplier metadataAnswers;
    private final IntSupplier pendingMigrations;
    private final BooleanSupplier artifactsReachable;
    private final Supplier<List<Degraded>> git;
    private final Supplier<List<Degraded>> upstreams;

    /**
     * @param metadataAnswers whether the metadata store answers a lookup
     * @param pendingMigrations how many schema migrations the metadata store still lacks
     * @param artifactsReachable whether the artifact store is there to read and write
     * @param git the git remotes degraded now
     * @param upstreams the upstream indexes degraded now
     */
    public HealthService(
            BooleanSupplier metadataAnswers,
            IntSupplier pendingMigrations,
            BooleanSupplier artifactsReachable,
            Supplier<List<Degraded>> git,
            Supplier<List<Degraded>> upstreams) {
        this.metadataAnswers = Objects.requireNonNull(metadataAnswers);
        this.pendingMigrations = Objects.requireNonNull(pendingMigrations);
        this.artifactsReachable = Objects.requireNonNull(artifactsReachable);
        this.git = Objects.requireNonNull(git);
        this.upstreams = Objects.requireNonNull(upstreams);
    }

    /** Asks every probe now. */
    public Readiness readiness() {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean metadata = passes(metadataAnswers);
        checks.put("metadata", metadata ? OK : "the metadata store does not answer");
        if (metadata) {
            checks.put("migrations", migrations());
        } else {
            checks.put("migrations", "unknown: the metadata store does not answer");
        }
        checks.put("artifacts", passes(artifactsReachable) ? OK : "the artifact store is not reachable");
        boolean ready = checks.values().stream().allMatch(OK::equals);
        return new Readiness(ready, checks, degraded(git), degraded(upstreams));
    }

    private String migrations() {
        try {
            int pending = pendingMigrations.getAsInt();
            return pending == 0 ? OK : pending + " schema migrations are not applied";
        } catch (RuntimeException e) {
            return "unknown: the schema history cannot be read";
        }
    }

    private static boolean passes(BooleanSupplier probe) {
        try {
            return probe.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<Degraded> degraded(Supplier<List<Degraded>> remotes) {
        try {
            return remotes.get();
        } catch (RuntimeException e) {
            return List.of(); // a status that cannot be listed does not make the server unready
        }
    }
}

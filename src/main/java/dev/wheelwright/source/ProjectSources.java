package dev.wheelwright.source;

import dev.wheelwright.python.ProjectName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which git repository a project name maps to, in this order: explicit {@code git.projects} entries, repositories
 * found by organisation discovery, then {@code git.url-templates}: for a name nothing else maps, each template's
 * URL (with {@code {name}} replaced by the PEP 503 normalized name) is probed with an {@code ls-remote} on demand.
 * A template hit is kept for the life of the process; a miss is remembered for {@code negativeTtl}, so names served
 * by an upstream index do not probe the git server on every request. Thread-safe.
 */
public final class ProjectSources {
    private static final Logger log = LoggerFactory.getLogger(ProjectSources.class);

    private final Map<String, ProjectSource> explicit;
    private final List<String> urlTemplates;
    private final Optional<RepositoryDiscovery> discovery;
    private final SourceRepository repositories;
    private final Clock clock;
    private final Duration negativeTtl;
    private volatile Map<String, ProjectSource> discovered = Map.of();
    private final Map<String, ProjectSource> templated = new ConcurrentHashMap<>();
    private final Map<String, Instant> misses = new ConcurrentHashMap<>();

    public ProjectSources(
            List<ProjectSource> explicit,
            List<String> urlTemplates,
            Optional<RepositoryDiscovery> discovery,
            SourceRepository repositories,
            Clock clock,
            Duration negativeTtl) {
        Map<String, ProjectSource> byName = new LinkedHashMap<>();
        for (ProjectSource p : explicit) {
            byName.putIfAbsent(p.name().normalized(), p);
        }
        this.explicit = Map.copyOf(byName);
        this.urlTemplates = List.copyOf(urlTemplates);
        this.discovery = Objects.requireNonNull(discovery);
        this.repositories = Objects.requireNonNull(repositories);
        this.clock = Objects.requireNonNull(clock);
        this.negativeTtl = Objects.requireNonNull(negativeTtl);
    }

    /** The source of {@code name} if it is already known (config, discovery, an earlier template hit); never probes. */
    public Optional<ProjectSource> known(ProjectName name) {
        String key = name.normalized();
        ProjectSource p = explicit.get(key);
        if (p == null) {
            p = discovered.get(key);
        }
        if (p == null) {
            p = templated.get(key);
        }
        return Optional.ofNullable(p);
    }

    /**
     * The source of {@code name}, probing the URL templates when nothing else maps it (an {@code ls-remote} per
     * template, unless a miss for this name is remembered). Never throws for unreachable remotes: they are a miss.
     */
    public Optional<ProjectSource> resolve(ProjectName name) {
        Optional<ProjectSource> known = known(name);
        if (known.isPresent() || urlTemplates.isEmpty()) {
            return known;
        }
        String key = name.normalized();
        Instant now = clock.instant();
        Instant missed = misses.get(key);
        if (missed != null && missed.plus(negativeTtl).isAfter(now)) {
            return Optional.empty();
        }
        for (String template : urlTemplates) {
            String url = template.replace("{name}", key);
            if (repositories.exists(url)) {
                ProjectSource found =
                        new ProjectSource(name, url, Optional.empty(), Optional.empty(), ProjectSource.Origin.TEMPLATE);
                ProjectSource raced = templated.putIfAbsent(key, found);
                misses.remove(key);
                log.info("project {} is git-backed: {}", key, GitUrls.redact(url));
                return Optional.of(raced == null ? found : raced);
            }
        }
        misses.put(key, now);
        return Optional.empty();
    }

    /** Every known project source: explicit, discovered and template hits. */
    public List<ProjectSource> all() {
        Map<String, ProjectSource> all = new LinkedHashMap<>(templated);
        all.putAll(discovered);
        all.putAll(explicit);
        return List.copyOf(all.values());
    }

    /** The known projects whose repository is {@code url} (compared by {@link GitUrls#key}). */
    public List<ProjectSource> onRepository(String url) {
        String key = GitUrls.key(url);
        List<ProjectSource> result = new ArrayList<>();
        for (ProjectSource p : all()) {
            if (GitUrls.key(p.url()).equals(key)) {
                result.add(p);
            }
        }
        return result;
    }

    /**
     * Runs organisation discovery, if configured, and replaces the discovered mapping. On failure the previous
     * mapping stays and the failure is thrown ({@link SourceUnavailableException}).
     */
    public void discover() {
        if (discovery.isEmpty()) {
            return;
        }
        Map<String, ProjectSource> found = new LinkedHashMap<>();
        for (DiscoveredRepository r : discovery.get().discover()) {
            found.putIfAbsent(
                    r.project().normalized(),
                    new ProjectSource(
                            r.project(), r.url(), Optional.empty(), Optional.empty(), ProjectSource.Origin.DISCOVERY));
        }
        discovered = Map.copyOf(found);
        log.info(
                "discovered {} git-backed projects in {}",
                found.size(),
                discovery.get().describe());
    }
}

package dev.wheelwright.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is making a request: an authenticated token's name, scopes and optional project limit, or the anonymous
 * reader.
 */
public record Principal(String name, Set<Scope> scopes, Optional<Pattern> projects) {
    public static final Principal ANONYMOUS = new Principal("anonymous", Set.of(), Optional.empty());

    public Principal {
        Objects.requireNonNull(name);
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(projects);
    }

    public boolean isAnonymous() {
        return this == ANONYMOUS || name.equals("anonymous") && scopes.isEmpty();
    }

    /** Whether this principal holds {@code scope} (directly or through a broader one). */
    public boolean has(Scope scope) {
        return scopes.stream().anyMatch(s -> s.grants(scope));
    }

    /** Whether this principal's project limit admits the normalized project name. */
    public boolean covers(String normalizedProject) {
        return projects.map(p -> p.matcher(normalizedProject).matches()).orElse(true);
    }
}

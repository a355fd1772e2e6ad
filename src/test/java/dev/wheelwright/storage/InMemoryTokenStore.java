package dev.wheelwright.storage;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TokenStore} in a map, for service tests. Thread-safe (every method is synchronized); instants are
 * truncated to microseconds like the SQL store does.
 */
public final class InMemoryTokenStore implements TokenStore {
    private final Map<String, TokenRecord> tokensById = new HashMap<>();

    @Override
    public synchronized void addToken(TokenRecord token) {
        for (String scope : token.scopes()) {
            if (scope.isEmpty() || scope.contains(",")) { // as the SQL store, which keeps scopes comma-joined
                throw new IllegalArgumentException("scope names are non-empty and without commas: " + scope);
            }
        }
        boolean nameTaken = tokensById.values().stream().anyMatch(t -> t.name().equals(token.name()));
        if (nameTaken || tokensById.containsKey(token.id())) {
            throw new WheelwrightException(Kind.CONFLICT, "a token named " + token.name() + " already exists");
        }
        TokenRecord stored = new TokenRecord(
                token.id(),
                token.name(),
                token.salt(),
                token.secretHash(),
                token.scopes(),
                token.projectGlob(),
                micros(token.created()),
                token.expires().map(InMemoryTokenStore::micros),
                token.lastUsed().map(InMemoryTokenStore::micros));
        tokensById.put(token.id(), stored);
    }

    @Override
    public synchronized Optional<TokenRecord> token(String id) {
        return Optional.ofNullable(tokensById.get(Objects.requireNonNull(id)));
    }

    @Override
    public synchronized List<TokenRecord> tokens() {
        return tokensById.values().stream()
                .sorted(Comparator.comparing(TokenRecord::name))
                .toList();
    }

    @Override
    public synchronized boolean revokeToken(String name) {
        return tokensById.values().removeIf(t -> t.name().equals(name));
    }

    @Override
    public synchronized void tokenUsed(String id, Instant when) {
        tokensById.computeIfPresent(
                id,
                (k, t) -> new TokenRecord(
                        t.id(),
                        t.name(),
                        t.salt(),
                        t.secretHash(),
                        t.scopes(),
                        t.projectGlob(),
                        t.created(),
                        t.expires(),
                        Optional.of(micros(when))));
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}

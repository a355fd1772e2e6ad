package dev.wheelwright.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API tokens: their salted hashes, scopes and limits, never a secret. Implementations are thread-safe and may be
 * shared by several processes (the server authenticates while the CLI creates or revokes). Every write is one
 * transaction. Absence is {@link Optional#empty()} or {@code false}; backend failures throw
 * {@link StorageException}. Instants come back truncated to microseconds.
 */
public interface TokenStore {
    /**
     * Stores a new token. A name or id that exists already is a {@code CONFLICT} {@code WheelwrightException} and
     * nothing changes; a scope name that is empty or contains a comma is an {@link IllegalArgumentException}.
     */
    void addToken(TokenRecord token);

    /** The token with this id; empty when there is none (never issued, or revoked). */
    Optional<TokenRecord> token(String id);

    /** All tokens, ordered by name. */
    List<TokenRecord> tokens();

    /** Removes the token with this name; false when there was none. */
    boolean revokeToken(String name);

    /** Records a successful use of a token at {@code when}; an unknown id is ignored. */
    void tokenUsed(String id, Instant when);
}

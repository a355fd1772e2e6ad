package dev.wheelwright.storage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API token: never the secret, only its salted hash.
 *
 * @param id public identifier embedded in the token, used to find the record
 * @param name unique human name, used by {@code token revoke}
 * @param salt random salt, hex
 * @param secretHash hex sha256 of salt and secret
 * @param scopes scope names ({@code read}, {@code upload}, {@code admin})
 * @param projectGlob limits the token to matching normalized project names, if present
 * @param created creation time
 * @param expires expiry, if any
 * @param lastUsed last successful use, if any
 */
public record TokenRecord(
        String id,
        String name,
        String salt,
        String secretHash,
        List<String> scopes,
        Optional<String> projectGlob,
        Instant created,
        Optional<Instant> expires,
        Optional<Instant> lastUsed) {
    public TokenRecord {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(salt);
        Objects.requireNonNull(secretHash);
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(projectGlob);
        Objects.requireNonNull(created);
        Objects.requireNonNull(expires);
        Objects.requireNonNull(lastUsed);
    }
}

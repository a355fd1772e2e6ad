package dev.wheelwright.auth;

import dev.wheelwright.common.Sha256;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import dev.wheelwright.storage.TokenRecord;
import dev.wheelwright.storage.TokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates, checks and revokes API tokens. A token reads {@code ww_<id>_<secret>}; only a salted sha256 of the
 * secret is stored, and checks compare in constant time. Thread-safe.
 */
public final class TokenService {
    private static final Pattern TOKEN = Pattern.compile("ww_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern GLOB = Pattern.compile("[a-z0-9*?.-]{1,100}");
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public TokenService(TokenStore store, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /** A new token: the secret is in {@code token} and nowhere else; it cannot be shown again. */
    public record CreatedToken(String token, TokenRecord record) {}

    public CreatedToken create(String name, Set<Scope> scopes, Optional<String> projectGlob, Optional<Duration> ttl) {
        if (!NAME.matcher(name).matches()) {
            throw new WheelwrightException(
                    Kind.INVALID_INPUT, "invalid token name (letters, digits, '.', '_', '-', at most 64)");
        }
        if (scopes.isEmpty()) {
            throw new WheelwrightException(Kind.INVALID_INPUT, "a token needs at least one scope");
        }
        projectGlob.ifPresent(g -> {
            if (!GLOB.matcher(g).matches()) {
                throw new WheelwrightException(
                        Kind.INVALID_INPUT, "invalid project glob (normalized names with * and ?): " + g);
            }
        });
        if (store.tokens().stream().anyMatch(t -> t.name().equals(name))) {
            throw new WheelwrightException(Kind.CONFLICT, "a token named " + name + " already exists");
        }
        byte[] idBytes = new byte[8];
        byte[] secretBytes = new byte[32];
        byte[] saltBytes = new byte[16];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        random.nextBytes(saltBytes);
        String id = HexFormat.of().formatHex(idBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        String salt = HexFormat.of().formatHex(saltBytes);
        Instant now = clock.instant();
        List<String> scopeNames =
                EnumSet.copyOf(scopes).stream().map(Scope::label).toList();
        TokenRecord record = new TokenRecord(
                id, name, salt, hash(salt, secret), scopeNames, projectGlob, now, ttl.map(now::plus), Optional.empty());
        store.addToken(record);
        return new CreatedToken("ww_" + id + "_" + secret, record);
    }

    /** The principal of a presented token; empty when it is malformed, unknown, revoked or expired. */
    public Optional<Principal> authenticate(String presented) {
        var m = TOKEN.matcher(presented);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<TokenRecord> found = store.token(m.group(1));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        TokenRecord record = found.get();
        byte[] expected = record.secretHash().getBytes(StandardCharsets.US_ASCII);
        byte[] actual = hash(record.salt(), m.group(2)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (record.expires().map(e -> !now.isBefore(e)).orElse(false)) {
            return Optional.empty();
        }
        if (record.lastUsed()
                .map(t -> t.plus(LAST_USED_GRANULARITY).isBefore(now))
                .orElse(true)) {
            store.tokenUsed(record.id(), now);
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        record.scopes().forEach(s -> scopes.add(Scope.parse(s)));
        return Optional.of(
                new Principal(record.name(), scopes, record.projectGlob().map(TokenService::globPattern)));
    }

    public List<TokenRecord> list() {
        return store.tokens();
    }

    /** Revokes the named token; false when there is none. */
    public boolean revoke(String name) {
        return store.revokeToken(name);
    }

    static Pattern globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static String hash(String salt, String secret) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(salt.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(secret.getBytes(StandardCharsets.US_ASCII));
        return Sha256.hex(sha);
    }
}

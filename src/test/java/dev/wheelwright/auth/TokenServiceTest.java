package dev.wheelwright.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.storage.InMemoryTokenStore;
import dev.wheelwright.storage.TokenRecord;
import dev.wheelwright.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TokenService tokens = new TokenService(store, clock);

    @Test
    void a_created_token_authenticates_with_its_scopes() {
        String token = tokens.create("ci", EnumSet.of(Scope.UPLOAD), Optional.empty(), Optional.empty())
                .token();

        Principal p = tokens.authenticate(token).orElseThrow();

        assertThat(p.name()).isEqualTo("ci");
        assertThat(p.has(Scope.UPLOAD)).isTrue();
        assertThat(p.has(Scope.READ)).as("upload implies read").isTrue();
        assertThat(p.has(Scope.ADMIN)).isFalse();
    }

    @Test
    void stores_only_a_salted_hash_never_the_secret() {
        String token = tokens.create("ci", EnumSet.of(Scope.READ), Optional.empty(), Optional.empty())
                .token();
        String secret = token.substring("ww_".length() + 16 + 1);

        TokenRecord record = store.tokens().get(0);

        assertThat(record.toString()).doesNotContain(secret);
        assertThat(record.secretHash()).hasSize(64).doesNotContain(secret);
    }

    @Test
    void a_token_with_a_changed_secret_or_unknown_id_does_not_authenticate() {
        String token = tokens.create("ci", EnumSet.of(Scope.READ), Optional.empty(), Optional.empty())
                .token();
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(tokens.authenticate(tampered)).isEmpty();
        assertThat(tokens.authenticate("ww_0000000000000000_" + token.substring(20)))
                .isEmpty();
        assertThat(tokens.authenticate("not-a-token")).isEmpty();
    }

    @Test
    void a_revoked_token_stops_working() {
        String token = tokens.create("ci", EnumSet.of(Scope.READ), Optional.empty(), Optional.empty())
                .token();

        assertThat(tokens.revoke("ci")).isTrue();

        assertThat(tokens.authenticate(token)).isEmpty();
        assertThat(tokens.revoke("ci")).isFalse();
    }

    @Test
    void an_expired_token_stops_working() {
        String token = tokens.create("ci", EnumSet.of(Scope.READ), Optional.empty(), Optional.of(Duration.ofDays(1)))
                .token();
        assertThat(tokens.authenticate(token)).isPresent();

        clock.advance(Duration.ofDays(1));

        assertThat(tokens.authenticate(token)).isEmpty();
    }

    @Test
    void a_project_glob_limits_what_the_token_covers() {
        String token = tokens.create("acme", EnumSet.of(Scope.UPLOAD), Optional.of("acme-*"), Optional.empty())
                .token();

        Principal p = tokens.authenticate(token).orElseThrow();

        assertThat(p.covers("acme-utils")).isTrue();
        assertThat(p.covers("other-pkg")).isFalse();
    }

    @Test
    void records_the_last_use() {
        String token = tokens.create("ci", EnumSet.of(Scope.READ), Optional.empty(), Optional.empty())
                .token();

        tokens.authenticate(token);

        assertThat(store.tokens().get(0).lastUsed()).contains(clock.instant());
    }

    @Test
    void refuses_duplicate_names_and_invalid_input() {
        tokens.create("ci", EnumSet.of(Scope.READ), Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> tokens.create("ci", EnumSet.of(Scope.READ), Optional.empty(), Optional.empty()))
                .isInstanceOf(WheelwrightException.class)
                .hasMessageContaining("already exists");
        assertThatThrownBy(() -> tokens.create("bad name", EnumSet.of(Scope.READ), Optional.empty(), Optional.empty()))
                .isInstanceOf(WheelwrightException.class);
        assertThatThrownBy(() -> tokens.create("x", Set.of(), Optional.empty(), Optional.empty()))
                .isInstanceOf(WheelwrightException.class);
        assertThatThrownBy(() -> tokens.create("y", EnumSet.of(Scope.READ), Optional.of("../etc"), Optional.empty()))
                .isInstanceOf(WheelwrightException.class);
    }
}

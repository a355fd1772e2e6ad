package dev.wheelwright.storage;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.micros;
import static dev.wheelwright.storage.StorageFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.errors.WheelwrightException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link TokenStore} must do. A backend's test class only says how to build one. */
public abstract class TokenStoreContract {
    protected TokenStore store;

    /** A new, empty token store; the backend's test closes what it opened, after each test. */
    protected abstract TokenStore newTokenStore() throws Exception;

    @BeforeEach
    void createTokenStore() throws Exception {
        store = newTokenStore();
    }

    @Test
    void a_token_round_trips_by_id() {
        TokenRecord token = token(
                "tk1",
                "ci",
                List.of("read", "upload"),
                Optional.of("acme-*"),
                Optional.of(T0.plus(Duration.ofDays(30))),
                Optional.of(T0.plusSeconds(5)));

        store.addToken(token);

        assertThat(store.token("tk1")).contains(micros(token));
        assertThat(store.token("nope")).isEmpty();
    }

    @Test
    void a_token_without_optional_fields_round_trips() {
        TokenRecord token = token("tk1", "ci", List.of("admin"), Optional.empty(), Optional.empty(), Optional.empty());

        store.addToken(token);

        assertThat(store.token("tk1")).contains(micros(token));
    }

    @Test
    void a_token_without_scopes_round_trips() {
        TokenRecord token = token("tk1", "ci", List.of(), Optional.empty(), Optional.empty(), Optional.empty());

        store.addToken(token);

        assertThat(store.token("tk1").orElseThrow().scopes()).isEmpty();
    }

    @Test
    void lists_tokens_by_name() {
        store.addToken(token("id-1", "zeta", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        store.addToken(token("id-2", "alpha", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        store.addToken(token("id-3", "mid", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(store.tokens()).extracting(TokenRecord::name).containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void a_second_token_with_the_same_name_is_a_conflict() {
        store.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));

        assertThatThrownBy(() -> store.addToken(
                        token("id-2", "ci", List.of("admin"), Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOfSatisfying(
                        WheelwrightException.class,
                        e -> assertThat(e.kind()).isEqualTo(WheelwrightException.Kind.CONFLICT));
        assertThat(store.tokens()).extracting(TokenRecord::id).containsExactly("id-1");
    }

    @Test
    void revoking_deletes_by_name_and_reports_whether_there_was_one() {
        store.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        store.addToken(token("id-2", "dev", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(store.revokeToken("ci")).isTrue();
        assertThat(store.revokeToken("ci")).isFalse();
        assertThat(store.token("id-1")).isEmpty();
        assertThat(store.tokens()).extracting(TokenRecord::name).containsExactly("dev");
    }

    @Test
    void token_use_is_recorded_to_the_microsecond() {
        store.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        Instant used = Instant.parse("2025-04-01T08:00:00.987654321Z");

        store.tokenUsed("id-1", used);

        assertThat(store.token("id-1").orElseThrow().lastUsed()).contains(Instant.parse("2025-04-01T08:00:00.987654Z"));
    }

    @Test
    void use_of_an_unknown_token_changes_nothing() {
        store.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));

        store.tokenUsed("nope", T0);

        assertThat(store.token("id-1").orElseThrow().lastUsed()).isEmpty();
        assertThat(store.tokens()).hasSize(1);
    }
}

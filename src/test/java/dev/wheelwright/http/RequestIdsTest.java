package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "req-42",
                "0f8e2c1d.trace_7",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-"
            })
    void a_sane_id_is_kept(String sent) {
        assertThat(RequestIds.accept(Optional.of(sent))).isEqualTo(sent);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "has space",
                "new\nline",
                "quote\"",
                "{\"json\":1}",
                "ünïcode",
                "slash/",
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_"
            })
    void an_insane_id_is_replaced_by_a_new_one(String sent) {
        String id = RequestIds.accept(Optional.of(sent));

        assertThat(id).isNotEqualTo(sent).matches("[0-9a-f]{16}");
    }

    @Test
    void a_missing_id_is_generated_fresh_each_time() {
        assertThat(RequestIds.accept(Optional.empty()))
                .matches("[0-9a-f]{16}")
                .isNotEqualTo(RequestIds.accept(Optional.empty()));
    }
}

package dev.wheelwright.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeaderMemoTest {
    @Test
    void a_value_is_parsed_once_and_its_answer_remembered() {
        AtomicInteger parsed = new AtomicInteger();
        HeaderMemo<Integer> memo = new HeaderMemo<>(v -> {
            parsed.incrementAndGet();
            return v.length();
        });

        assertThat(memo.get("gzip")).isEqualTo(4);
        assertThat(memo.get("gzip")).isEqualTo(4);
        assertThat(memo.get("br")).isEqualTo(2);

        assertThat(parsed).hasValue(2);
        assertThat(memo.size()).isEqualTo(2);
    }

    @Test
    void past_its_limit_new_values_are_answered_but_not_kept() {
        AtomicInteger parsed = new AtomicInteger();
        HeaderMemo<Integer> memo = new HeaderMemo<>(v -> parsed.incrementAndGet());
        for (int i = 0; i < HeaderMemo.LIMIT + 500; i++) {
            memo.get("value-" + i);
        }

        assertThat(memo.size()).isEqualTo(HeaderMemo.LIMIT);
        int before = parsed.get();
        memo.get("value-" + (HeaderMemo.LIMIT + 1)); // not kept: parsed again
        memo.get("value-0"); // kept
        assertThat(parsed.get() - before).isEqualTo(1);
    }

    @Test
    void a_value_whose_parse_throws_is_not_remembered() {
        AtomicInteger parsed = new AtomicInteger();
        HeaderMemo<Integer> memo = new HeaderMemo<>(v -> {
            parsed.incrementAndGet();
            throw new IllegalArgumentException("bad " + v);
        });

        assertThatThrownBy(() -> memo.get("x")).hasMessage("bad x");
        assertThatThrownBy(() -> memo.get("x")).hasMessage("bad x");
        assertThat(parsed).hasValue(2);
        assertThat(memo.size()).isZero();
    }
}

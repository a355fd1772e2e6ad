package dev.wheelwright.http;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers what a pure function of one request header's value answered, so the header values clients send over and
 * over (pip's {@code Accept}, every client's {@code Accept-Encoding}) are parsed once, not on every request. Bounded:
 * past {@link #LIMIT} distinct values, new ones are computed each time and not kept, so hostile headers cannot grow
 * it. A function that throws is never remembered for that value.
 */
final class HeaderMemo<T> {
    static final int LIMIT = 1024;

    private final Function<String, T> parse;
    private final Map<String, T> answers = new ConcurrentHashMap<>();

    HeaderMemo(Function<String, T> parse) {
        this.parse = Objects.requireNonNull(parse);
    }

    /** What the function answers for this value: remembered, or computed now (and remembered while there is room). */
    T get(String value) {
        T known = answers.get(value);
        if (known != null) {
            return known;
        }
        T answer = parse.apply(value);
        if (answers.size() < LIMIT) {
            answers.putIfAbsent(value, answer);
        }
        return answer;
    }

    /** How many values are remembered (tests). */
    int size() {
        return answers.size();
    }
}

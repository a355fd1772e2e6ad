package dev.wheelwright.http;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The id of one request, for its log lines (MDC key {@value #MDC_KEY}) and its {@value #HEADER} response header: the
 * caller's {@value #HEADER} when it is sane (1-64 of {@code [A-Za-z0-9._-]}, so it cannot forge log lines or carry
 * much), else a new random one.
 */
final class RequestIds {
    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request_id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {}

    /** The sent id if sane, else a new one. */
    static String accept(Optional<String> sent) {
        return sent.filter(id -> SANE.matcher(id).matches()).orElseGet(RequestIds::generate);
    }

    /**
     * 16 random hex digits. An id names a request in the logs and is no secret, so it comes from the thread's own
     * generator rather than the shared, locked {@code SecureRandom} behind {@code UUID.randomUUID} (contended by every
     * request thread under load).
     */
    private static String generate() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}

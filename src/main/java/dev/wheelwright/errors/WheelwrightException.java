package dev.wheelwright.errors;

import java.util.Objects;

/**
 * Every expected failure of Wheelwright. The {@link Kind} says what went wrong, never which HTTP status
 * answers it: {@code http.HttpErrors} is the only code that maps kinds to statuses. Messages are one
 * sentence naming the offending value and are shown to users, so they never carry secrets or server paths.
 */
public class WheelwrightException extends RuntimeException {
    /** What went wrong, from the caller's point of view. */
    public enum Kind {
        INVALID_INPUT,
        UNAUTHENTICATED,
        FORBIDDEN,
        NOT_FOUND,
        NOT_ACCEPTABLE,
        CONFLICT,
        TOO_LARGE,
        BUSY,
        UPSTREAM,
        FAILED
    }

    private final Kind kind;

    public WheelwrightException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind);
    }

    public WheelwrightException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind);
    }

    public Kind kind() {
        return kind;
    }
}

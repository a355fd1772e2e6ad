package dev.wheelwright.toml;

import dev.wheelwright.errors.WheelwrightException;

/** Text that is not TOML; the message is the parser's, without a location. */
public final class InvalidTomlException extends WheelwrightException {
    public InvalidTomlException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}

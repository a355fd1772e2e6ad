package dev.wheelwright.python;

import dev.wheelwright.errors.WheelwrightException;

/** Thrown when a string is not a valid PEP 440 version; always {@link WheelwrightException.Kind#INVALID_INPUT}. */
public final class InvalidVersionException extends WheelwrightException {
    public InvalidVersionException(String message) {
        super(Kind.INVALID_INPUT, message);
    }
}

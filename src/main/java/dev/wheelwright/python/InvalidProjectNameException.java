package dev.wheelwright.python;

import dev.wheelwright.errors.WheelwrightException;

/** Thrown when a string is not a valid PEP 508 project name; always {@link WheelwrightException.Kind#INVALID_INPUT}. */
public final class InvalidProjectNameException extends WheelwrightException {
    public InvalidProjectNameException(String message) {
        super(Kind.INVALID_INPUT, message);
    }
}

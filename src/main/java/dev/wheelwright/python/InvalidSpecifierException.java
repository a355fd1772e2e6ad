package dev.wheelwright.python;

import dev.wheelwright.errors.WheelwrightException;

/** Thrown when a string is not a valid PEP 440 version specifier set; always {@link WheelwrightException.Kind#INVALID_INPUT}. */
public final class InvalidSpecifierException extends WheelwrightException {
    public InvalidSpecifierException(String message) {
        super(Kind.INVALID_INPUT, message);
    }
}

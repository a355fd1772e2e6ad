package dev.wheelwright.python;

import dev.wheelwright.errors.WheelwrightException;

/**
 * A string that is not a PEP 508 dependency specifier or environment marker; always
 * {@link WheelwrightException.Kind#INVALID_INPUT}. The message says what was expected and at which position; the
 * caller quotes the value.
 */
public final class InvalidRequirementException extends WheelwrightException {
    public InvalidRequirementException(String message) {
        super(Kind.INVALID_INPUT, message);
    }
}

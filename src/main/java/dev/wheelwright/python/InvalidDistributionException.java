package dev.wheelwright.python;

import dev.wheelwright.errors.WheelwrightException;

/**
 * Thrown when a distribution file (its filename, archive or core metadata) is not acceptable; always
 * {@link WheelwrightException.Kind#INVALID_INPUT}. The message is one sentence naming the offending file or field.
 */
public final class InvalidDistributionException extends WheelwrightException {
    public InvalidDistributionException(String message) {
        super(Kind.INVALID_INPUT, message);
    }

    public InvalidDistributionException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}

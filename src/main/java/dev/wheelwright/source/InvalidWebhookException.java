package dev.wheelwright.source;

import dev.wheelwright.errors.WheelwrightException;

/** A correctly signed webhook whose body is not a push payload this server understands. */
public final class InvalidWebhookException extends WheelwrightException {
    public InvalidWebhookException(String message) {
        super(Kind.INVALID_INPUT, message);
    }
}

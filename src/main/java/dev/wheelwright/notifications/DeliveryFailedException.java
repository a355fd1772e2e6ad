package dev.wheelwright.notifications;

import dev.wheelwright.errors.WheelwrightException;

/** A receiver did not take a notification; it stays in the outbox and is retried later. */
public final class DeliveryFailedException extends WheelwrightException {
    public DeliveryFailedException(String message) {
        super(Kind.UPSTREAM, message);
    }

    public DeliveryFailedException(String message, Throwable cause) {
        super(Kind.UPSTREAM, message, cause);
    }
}

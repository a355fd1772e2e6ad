package dev.wheelwright.source;

import dev.wheelwright.errors.WheelwrightException;

/** A webhook call without a valid signature (or with webhooks not enabled): it changes nothing. */
public final class WebhookRejectedException extends WheelwrightException {
    public WebhookRejectedException(String message) {
        super(Kind.UNAUTHENTICATED, message);
    }
}

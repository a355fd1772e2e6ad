package dev.wheelwright.auth;

import dev.wheelwright.errors.WheelwrightException;

/** The authenticated token may not do what the request asks (read or upload a project). */
public final class NotAllowedException extends WheelwrightException {
    public NotAllowedException(String message) {
        super(Kind.FORBIDDEN, message);
    }
}

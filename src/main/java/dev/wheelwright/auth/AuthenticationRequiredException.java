package dev.wheelwright.auth;

import dev.wheelwright.errors.WheelwrightException;

/** The request needs a valid token and has none, or one that is unknown, revoked or expired. */
public final class AuthenticationRequiredException extends WheelwrightException {
    public AuthenticationRequiredException(String message) {
        super(Kind.UNAUTHENTICATED, message);
    }
}

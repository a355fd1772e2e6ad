package dev.wheelwright.builds;

import dev.wheelwright.errors.WheelwrightException;

/** A retry of a build that has not failed, or whose git source this server does not know. */
public class RetryRefusedException extends WheelwrightException {
    public RetryRefusedException(String message) {
        super(Kind.CONFLICT, message);
    }
}

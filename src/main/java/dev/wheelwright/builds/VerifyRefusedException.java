package dev.wheelwright.builds;

import dev.wheelwright.errors.WheelwrightException;

/**
 * A verification that cannot run: the release was uploaded rather than built, its build has not succeeded, its git
 * source is not known here, or a verification of it is running already.
 */
public class VerifyRefusedException extends WheelwrightException {
    public VerifyRefusedException(String message) {
        super(Kind.CONFLICT, message);
    }
}

package dev.wheelwright.builds;

import dev.wheelwright.errors.WheelwrightException;

/** No build of the requested release (or no log of it yet). */
public class BuildNotFoundException extends WheelwrightException {
    public BuildNotFoundException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}

package dev.wheelwright.index;

import dev.wheelwright.errors.WheelwrightException;

/** No project (or file) of that name is visible to the requester. */
public final class ProjectNotFoundException extends WheelwrightException {
    public ProjectNotFoundException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}

package dev.wheelwright.upstream;

import dev.wheelwright.errors.WheelwrightException;

/** No upstream lists that project or file (or, offline, it is not cached). */
public final class UpstreamNotFoundException extends WheelwrightException {
    public UpstreamNotFoundException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}

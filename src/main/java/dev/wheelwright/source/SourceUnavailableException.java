package dev.wheelwright.source;

import dev.wheelwright.errors.WheelwrightException;

/** A git remote (or the discovery API) could not be reached or read; what is already mirrored is still served. */
public final class SourceUnavailableException extends WheelwrightException {
    public SourceUnavailableException(String message, Throwable cause) {
        super(Kind.UPSTREAM, message, cause);
    }

    public SourceUnavailableException(String message) {
        super(Kind.UPSTREAM, message);
    }
}

package dev.wheelwright.upstream;

import dev.wheelwright.errors.WheelwrightException;

/** An upstream could not give an answer (unreachable, too slow, an error status, a broken page or file). */
public final class UpstreamUnavailableException extends WheelwrightException {
    public UpstreamUnavailableException(String message) {
        super(Kind.UPSTREAM, message);
    }

    public UpstreamUnavailableException(String message, Throwable cause) {
        super(Kind.UPSTREAM, message, cause);
    }
}

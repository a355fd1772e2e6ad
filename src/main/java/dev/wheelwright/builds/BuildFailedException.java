package dev.wheelwright.builds;

import dev.wheelwright.errors.WheelwrightException;

/**
 * A build that did not produce valid artifacts: the backend failed, timed out, wrote too much, or built something
 * other than the tag's release. The message is the reason the builds API shows; the build log has the details.
 */
public class BuildFailedException extends WheelwrightException {
    public BuildFailedException(String reason) {
        super(Kind.FAILED, reason);
    }

    public BuildFailedException(String reason, Throwable cause) {
        super(Kind.FAILED, reason, cause);
    }
}

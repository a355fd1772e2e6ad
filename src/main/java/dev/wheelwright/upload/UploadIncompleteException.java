package dev.wheelwright.upload;

import dev.wheelwright.errors.WheelwrightException;

/** The upload's body ended or broke before the file was complete; nothing was stored. */
public final class UploadIncompleteException extends WheelwrightException {
    public UploadIncompleteException(String filename, Throwable cause) {
        super(Kind.INVALID_INPUT, "Upload of " + filename + " is incomplete: the request body ended early.", cause);
    }
}

package dev.wheelwright.upload;

import dev.wheelwright.errors.WheelwrightException;

/** The upload's form fields disagree with the file or with each other; the message says which. */
public final class UploadRejectedException extends WheelwrightException {
    public UploadRejectedException(String message) {
        super(Kind.INVALID_INPUT, message);
    }
}

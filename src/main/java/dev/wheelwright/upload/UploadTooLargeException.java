package dev.wheelwright.upload;

import dev.wheelwright.errors.WheelwrightException;

/** An uploaded file is larger than {@code upload.max-file-size}. */
public final class UploadTooLargeException extends WheelwrightException {
    public UploadTooLargeException(String filename, long limit) {
        super(Kind.TOO_LARGE, "File too large: " + filename + " exceeds the limit of " + limit + " bytes.");
    }

    public UploadTooLargeException(long limit) {
        super(Kind.TOO_LARGE, "Upload too large: the limit is " + limit + " bytes per file.");
    }
}

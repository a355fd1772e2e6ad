package dev.wheelwright.source;

import dev.wheelwright.errors.WheelwrightException;

/** The tree of a commit could not be written out of the local mirror (missing commit, disk failure). */
public final class SourceExportException extends WheelwrightException {
    public SourceExportException(String message, Throwable cause) {
        super(Kind.FAILED, message, cause);
    }

    public SourceExportException(String message) {
        super(Kind.FAILED, message);
    }
}

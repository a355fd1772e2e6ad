package dev.wheelwright.upload;

import dev.wheelwright.errors.WheelwrightException;

/**
 * A file with this name exists with other bytes. The message is what twine's {@code --skip-existing} looks
 * for, and files are immutable, so the upload is refused.
 */
public final class DuplicateFileException extends WheelwrightException {
    public DuplicateFileException(String filename) {
        super(Kind.CONFLICT, "File already exists: " + filename);
    }

    /** #14: {@code uploaded} is spelled otherwise but names the same distribution as the stored {@code existing}. */
    public DuplicateFileException(String existing, String uploaded) {
        super(
                Kind.CONFLICT,
                "File already exists: " + existing + " is the same distribution as " + uploaded
                        + " (same name, version, build tag and tags) with other bytes.");
    }
}

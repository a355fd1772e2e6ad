package dev.wheelwright.storage;

import dev.wheelwright.errors.WheelwrightException;

/** A storage backend failed (disk, database, object store); the operation did not take effect. */
public final class StorageException extends WheelwrightException {
    public StorageException(String message, Throwable cause) {
        super(Kind.FAILED, message, cause);
    }

    public StorageException(String message) {
        super(Kind.FAILED, message);
    }
}

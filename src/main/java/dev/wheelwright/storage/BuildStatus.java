package dev.wheelwright.storage;

import java.util.Locale;

/** Where a stored build stands; {@link #label()} is its stored spelling. */
public enum BuildStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED;

    /** Whether the build has ended, successfully or not. */
    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED;
    }

    /** The lower-case name, as stored: {@code queued}, {@code running}, {@code succeeded}, {@code failed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status stored as {@code label}; an unknown label is a {@link StorageException} (a corrupt row). */
    public static BuildStatus ofLabel(String label) {
        for (BuildStatus status : values()) {
            if (status.label().equals(label)) {
                return status;
            }
        }
        throw new StorageException("unknown build status in storage: " + label);
    }
}

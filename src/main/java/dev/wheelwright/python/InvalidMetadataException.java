package dev.wheelwright.python;

import dev.wheelwright.errors.WheelwrightException;

/**
 * A core metadata field whose value breaks the specification; always {@link WheelwrightException.Kind#INVALID_INPUT}.
 * The message is one sentence naming the field and its value; {@link #field()} names the field.
 */
public final class InvalidMetadataException extends WheelwrightException {
    private final String field;

    public InvalidMetadataException(String field, String value, String reason) {
        super(Kind.INVALID_INPUT, "Invalid " + field + " " + Echo.quote(value) + ": " + reason + ".");
        this.field = field;
    }

    /** The metadata field, in the specification's spelling (e.g. {@code Requires-Dist}). */
    public String field() {
        return field;
    }
}

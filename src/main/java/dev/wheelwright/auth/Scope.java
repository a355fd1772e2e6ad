package dev.wheelwright.auth;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import java.util.Locale;

/** What a token may do. {@code upload} implies {@code read}; {@code admin} implies both. */
public enum Scope {
    READ,
    UPLOAD,
    ADMIN;

    public static Scope parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "read" -> READ;
            case "upload" -> UPLOAD;
            case "admin" -> ADMIN;
            default ->
                throw new WheelwrightException(
                        Kind.INVALID_INPUT, "unknown scope '" + text + "' (use read, upload or admin)");
        };
    }

    /** Whether holding this scope grants {@code wanted}. */
    public boolean grants(Scope wanted) {
        return ordinal() >= wanted.ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

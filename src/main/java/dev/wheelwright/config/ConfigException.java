package dev.wheelwright.config;

import dev.wheelwright.errors.WheelwrightException;

/** The configuration is invalid; the message names the key and the problem. The server refuses to start. */
public final class ConfigException extends WheelwrightException {
    public ConfigException(String message) {
        super(Kind.INVALID_INPUT, message);
    }

    public ConfigException(String message, Throwable cause) {
        super(Kind.INVALID_INPUT, message, cause);
    }
}

package dev.wheelwright.storage;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.errors.WheelwrightException.Kind;
import java.util.regex.Pattern;

/**
 * The key of one blob: a relative, slash-separated path of safe segments. Keys never contain {@code ..},
 * empty segments, backslashes or characters outside {@code [A-Za-z0-9._+-]}, so every backend can map them to
 * a file path or an object key without escaping.
 */
public record BlobKey(String value) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,254}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public BlobKey {
        if (value == null || value.isEmpty() || value.length() > 1024) {
            throw new WheelwrightException(Kind.INVALID_INPUT, "invalid blob key");
        }
        for (String segment : value.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.contains("..")) {
                throw new WheelwrightException(Kind.INVALID_INPUT, "invalid blob key segment in " + value);
            }
        }
    }

    public static BlobKey of(String value) {
        return new BlobKey(value);
    }

    /** The content-addressed key of bytes with the given sha256 (lower-case hex), with a suffix such as ".whl". */
    public static BlobKey forContent(String sha256, String suffix) {
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new WheelwrightException(Kind.INVALID_INPUT, "not a sha256 hex digest: " + sha256);
        }
        return new BlobKey("sha256/" + sha256.substring(0, 2) + "/" + sha256 + suffix);
    }

    @Override
    public String toString() {
        return value;
    }
}

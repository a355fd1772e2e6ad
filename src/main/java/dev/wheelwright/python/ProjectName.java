package dev.wheelwright.python;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A valid Python project name (PEP 508 / core metadata {@code Name}) together with its PEP 503 normalized form.
 *
 * <p>Contract: {@link #parse(String)} is the only way to obtain an instance from untrusted input; it accepts exactly
 * the names matching {@code ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])\z} (ASCII, case-insensitive, at most 200
 * characters). Two names are equal when their normalized forms are equal ({@code Django} equals {@code django}).
 * Instances are immutable and thread safe.
 *
 * @param original the name as written
 * @param normalized lower case, every run of {@code -_.} replaced by one {@code -}
 */
public record ProjectName(String original, String normalized) {
    /** Longest name accepted; PyPI has no hard limit, but nothing real comes close. */
    public static final int MAX_LENGTH = 200;

    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

    /** Validates that {@code normalized} really is the normalized form of {@code original}. */
    public ProjectName {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(normalized, "normalized");
        if (!isValid(original) || original.length() > MAX_LENGTH) {
            throw new InvalidProjectNameException("invalid project name " + Echo.quote(original)
                    + ": it must be ASCII letters, digits, '.', '_' or '-', start and end with a letter or digit");
        }
        if (!normalized.equals(normalize(original))) {
            throw new IllegalArgumentException("normalized form of " + original + " is not " + normalized);
        }
    }

    /**
     * Validates {@code name} and computes its normalized form.
     *
     * @throws InvalidProjectNameException if the name is empty, too long, not ASCII, or does not match the PEP 508
     *     name regex
     */
    public static ProjectName parse(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new InvalidProjectNameException("invalid project name \"\": it is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidProjectNameException(
                    "invalid project name " + Echo.quote(name) + ": it is longer than " + MAX_LENGTH + " characters");
        }
        if (!isValid(name)) {
            throw new InvalidProjectNameException("invalid project name " + Echo.quote(name)
                    + ": it must be ASCII letters, digits, '.', '_' or '-', start and end with a letter or digit");
        }
        return new ProjectName(name, normalize(name));
    }

    /**
     * PEP 503 normalization without validation: lower case (ROOT locale) and runs of {@code -_.} to one {@code -}.
     * Meant for comparisons with names that were validated elsewhere; use {@link #parse(String)} for input.
     */
    public static String normalize(String name) {
        if (isNormalized(name)) {
            return name; // what clients ask for nearly always (pip normalizes): no copy
        }
        return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** True when {@code name} is already in PEP 503 normalized form ({@code [a-z0-9]+(-[a-z0-9]+)*}). */
    public static boolean isNormalized(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        char previous = '-'; // so a leading '-' fails
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && (c != '-' || previous == '-')) {
                return false;
            }
            previous = c;
        }
        return previous != '-';
    }

    /**
     * {@code [A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]} (PEP 508's name), checked by hand: this runs for every
     * page request.
     */
    private static boolean isValid(String name) {
        int last = name.length() - 1;
        if (last < 0 || !isAsciiAlnum(name.charAt(0)) || !isAsciiAlnum(name.charAt(last))) {
            return false;
        }
        for (int i = 1; i < last; i++) {
            char c = name.charAt(i);
            if (!isAsciiAlnum(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The form used in wheel and sdist filenames and {@code .dist-info} directories: normalized, {@code -} → {@code _}. */
    public String filenameEscaped() {
        return normalized.replace('-', '_');
    }

    /** Equal when the normalized names are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ProjectName name && normalized.equals(name.normalized);
    }

    @Override
    public int hashCode() {
        return normalized.hashCode();
    }

    /** The name as written. */
    @Override
    public String toString() {
        return original;
    }
}

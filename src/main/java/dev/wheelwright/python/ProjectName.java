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

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]");
    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");
    private static final Pattern NORMALIZED = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    /** Validates that {@code normalized} really is the normalized form of {@code original}. */
    public ProjectName {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(normalized, "normalized");
        if (!VALID.matcher(original).matches() || original.length() > MAX_LENGTH) {
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
        if (!VALID.matcher(name).matches()) {
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
        return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    /** True when {@code name} is already in PEP 503 normalized form ({@code [a-z0-9]+(-[a-z0-9]+)*}). */
    public static boolean isNormalized(String name) {
        return name != null && NORMALIZED.matcher(name).matches();
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

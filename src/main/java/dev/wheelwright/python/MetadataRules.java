package dev.wheelwright.python;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The field rules a distribution's core metadata must meet to be stored (#14), as PyPI applies them at upload
 * (warehouse's metadata form and {@code packaging.metadata}; the specification is the core metadata spec).
 *
 * <p>Contract: {@link #check(CoreMetadata)} checks, in this order: {@code Metadata-Version} (1.0–2.4 known, plus the
 * 2.0 that old bdist_wheel wrote; a newer 2.x accepted, 3.0 and later rejected), {@code Summary} (one line, at most 512 characters), {@code Requires-Python}
 * (a PEP 440 specifier set), {@code Requires-Dist} (PEP 508), {@code Provides-Extra} (a valid name, which PEP 685
 * normalization can read; unnormalized spellings and two spellings of one extra stay accepted, as PyPI accepts them), {@code Description-Content-Type} ({@code text/plain}, {@code text/x-rst} or
 * {@code text/markdown}, charset UTF-8, markdown variant {@code GFM} or {@code CommonMark}), {@code Dynamic} (never
 * {@code Name}, {@code Version} or {@code Metadata-Version}), {@code License-Expression} (SPDX syntax,
 * {@link LicenseExpression}) and {@code Project-URL} ({@code label, URL}: a label of 1–32 characters and an http or
 * https URL). Values {@code UNKNOWN} (the old distutils placeholder) count as absent. {@link #checkLicenseFiles} checks that each {@code License-File} of 2.4 and later is a safe relative
 * path present in the archive. The first failure throws {@link InvalidMetadataException} naming the field and the
 * value. Stateless and thread safe.
 */
public final class MetadataRules {
    /** Longest {@code Summary} PyPI accepts, in characters. */
    public static final int MAX_SUMMARY = 512;
    /** Longest {@code Project-URL} label PyPI accepts. */
    public static final int MAX_URL_LABEL = 32;

    /** The versions the specification defines up to 2.4, and 2.0: old bdist_wheel wrote it (PEP 426, withdrawn). */
    private static final Set<String> KNOWN_METADATA_VERSIONS =
            Set.of("1.0", "1.1", "1.2", "2.0", "2.1", "2.2", "2.3", "2.4");

    private static final Pattern MAJOR_MINOR = Pattern.compile("([0-9]{1,4})\\.([0-9]{1,4})");
    private static final Set<String> CONTENT_TYPES = Set.of("text/plain", "text/x-rst", "text/markdown");
    private static final Set<String> MARKDOWN_VARIANTS = Set.of("GFM", "CommonMark");
    private static final Set<String> NEVER_DYNAMIC = Set.of("name", "version", "metadata-version");
    private static final Pattern HTTP_URL = Pattern.compile("(?i:https?)://[^\\s/?#]+[^\\s]*");

    private MetadataRules() {}

    /**
     * Checks every field rule but {@code License-File} presence.
     *
     * @throws InvalidMetadataException at the first field that breaks its rule
     */
    public static void check(CoreMetadata metadata) {
        Objects.requireNonNull(metadata, "metadata");
        checkMetadataVersion(metadata.metadataVersion());
        value(metadata, "Summary").ifPresent(MetadataRules::checkSummary);
        value(metadata, "Requires-Python").ifPresent(MetadataRules::checkRequiresPython);
        values(metadata, "Requires-Dist").forEach(MetadataRules::checkRequiresDist);
        values(metadata, "Provides-Extra").forEach(MetadataRules::checkProvidesExtra);
        value(metadata, "Description-Content-Type").ifPresent(MetadataRules::checkDescriptionContentType);
        values(metadata, "Dynamic").forEach(MetadataRules::checkDynamic);
        value(metadata, "License-Expression").ifPresent(e -> LicenseExpression.check(e.strip()));
        values(metadata, "Project-URL").forEach(MetadataRules::checkProjectUrl);
    }

    /**
     * {@code UNKNOWN} is the placeholder old distutils/setuptools wrote for a field it had no value for; PyPI drops
     * such values before validating (warehouse {@code sanitize}), and so do we.
     */
    private static boolean isPlaceholder(String value) {
        return value.strip().equals("UNKNOWN");
    }

    private static Optional<String> value(CoreMetadata metadata, String field) {
        return metadata.first(field).filter(v -> !isPlaceholder(v));
    }

    private static List<String> values(CoreMetadata metadata, String field) {
        return metadata.all(field).stream().filter(v -> !isPlaceholder(v)).toList();
    }

    /**
     * Checks that every {@code License-File} (metadata 2.4 and later) is a relative path without {@code ..} or
     * backslashes that {@code present} contains. {@code present} holds the archive's file paths relative to where
     * license files live: a wheel's {@code .dist-info/licenses/}, an sdist's top-level directory.
     *
     * @param where how the message names that place, e.g. {@code "demo-1.0.tar.gz at demo-1.0/"}
     * @throws InvalidMetadataException at the first missing or unsafe path
     */
    public static void checkLicenseFiles(CoreMetadata metadata, Set<String> present, String where) {
        if (!atLeast(metadata.metadataVersion(), 2, 4)) {
            return; // setuptools wrote License-File into 2.1 metadata for years, with other placement rules
        }
        for (String raw : metadata.all("License-File")) {
            String path = raw.strip();
            if (path.isEmpty()
                    || path.startsWith("/")
                    || path.contains("\\")
                    || path.matches("^[A-Za-z]:.*")
                    || List.of(path.split("/", -1)).contains("..")) {
                throw new InvalidMetadataException(
                        "License-File", raw, "it must be a relative path with '/' separators and no '..'");
            }
            if (!present.contains(path)) {
                throw new InvalidMetadataException("License-File", raw, "no such file in " + where);
            }
        }
    }

    static void checkMetadataVersion(String value) {
        if (KNOWN_METADATA_VERSIONS.contains(value)) {
            return;
        }
        Matcher m = MAJOR_MINOR.matcher(value);
        if (m.matches() && Integer.parseInt(m.group(1)) == 2 && Integer.parseInt(m.group(2)) > 4) {
            return; // a newer minor version: readable, per the core metadata spec
        }
        if (m.matches() && Integer.parseInt(m.group(1)) > 2) {
            throw new InvalidMetadataException(
                    "Metadata-Version", value, "a newer major version than 2 cannot be read");
        }
        throw new InvalidMetadataException(
                "Metadata-Version", value, "not a known metadata version (1.0 to 1.2, 2.0 to 2.4, or a newer 2.x)");
    }

    static void checkSummary(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new InvalidMetadataException("Summary", value, "it must be a single line");
        }
        if (value.codePointCount(0, value.length()) > MAX_SUMMARY) {
            throw new InvalidMetadataException("Summary", value, "it is longer than " + MAX_SUMMARY + " characters");
        }
    }

    static void checkRequiresPython(String value) {
        checkParses(
                "Requires-Python",
                value,
                VersionSpecifier::parse,
                InvalidSpecifierException.class,
                e -> "not a PEP 440 version specifier set such as \">=3.9\"");
    }

    static void checkRequiresDist(String value) {
        checkParses(
                "Requires-Dist",
                value,
                Requirement::parse,
                InvalidRequirementException.class,
                e -> "not a PEP 508 dependency specifier, " + e.getMessage());
    }

    static void checkProvidesExtra(String value) {
        checkParses(
                "Provides-Extra",
                value,
                ProjectName::parse,
                InvalidProjectNameException.class,
                e -> "an extra name is letters, digits, '.', '_' and '-'");
    }

    /**
     * Parses the stripped {@code value} of {@code field} with {@code parser}; a {@code rejection} it throws becomes an
     * {@link InvalidMetadataException} saying {@code why}, any other exception passes through unchanged.
     */
    private static <E extends RuntimeException> void checkParses(
            String field, String value, Consumer<String> parser, Class<E> rejection, Function<E, String> why) {
        try {
            parser.accept(value.strip());
        } catch (RuntimeException e) {
            if (!rejection.isInstance(e)) {
                throw e;
            }
            throw new InvalidMetadataException(field, value, why.apply(rejection.cast(e)));
        }
    }

    static void checkDescriptionContentType(String value) {
        if (value.isBlank()) {
            return; // like an absent field: text/x-rst, as Python's email parser reads an empty Content-Type
        }
        String[] parts = value.split(";", -1);
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPES.contains(type)) {
            throw new InvalidMetadataException(
                    "Description-Content-Type", value, "the type must be text/plain, text/x-rst or text/markdown");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.isEmpty()) {
                continue;
            }
            int eq = parameter.indexOf('=');
            if (eq <= 0) {
                throw new InvalidMetadataException(
                        "Description-Content-Type", value, Echo.quote(parameter) + " is not a key=value parameter");
            }
            String key = parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String val = unquote(parameter.substring(eq + 1).strip());
            if (key.equals("charset") && !val.equalsIgnoreCase("UTF-8")) {
                throw new InvalidMetadataException("Description-Content-Type", value, "the charset must be UTF-8");
            }
            if (key.equals("variant") && type.equals("text/markdown") && !MARKDOWN_VARIANTS.contains(val)) {
                throw new InvalidMetadataException(
                        "Description-Content-Type", value, "the markdown variant must be GFM or CommonMark");
            }
        }
    }

    static void checkDynamic(String value) {
        if (NEVER_DYNAMIC.contains(value.strip().toLowerCase(Locale.ROOT))) {
            throw new InvalidMetadataException(
                    "Dynamic", value, "Name, Version and Metadata-Version are never dynamic");
        }
    }

    static void checkProjectUrl(String value) {
        int comma = value.indexOf(',');
        if (comma < 0) {
            throw new InvalidMetadataException("Project-URL", value, "it must be \"label, URL\"");
        }
        String label = value.substring(0, comma).strip();
        String url = value.substring(comma + 1).strip();
        if (label.isEmpty() || label.codePointCount(0, label.length()) > MAX_URL_LABEL) {
            throw new InvalidMetadataException(
                    "Project-URL", value, "the label must be 1 to " + MAX_URL_LABEL + " characters");
        }
        if (!HTTP_URL.matcher(url).matches()) {
            throw new InvalidMetadataException("Project-URL", value, "the URL must be an http or https URL");
        }
    }

    /** True when {@code metadataVersion} is at least {@code major.minor} (non-numeric parts compare as 0). */
    static boolean atLeast(String metadataVersion, int major, int minor) {
        String[] parts = metadataVersion.split("\\.");
        int ma = number(parts, 0);
        int mi = number(parts, 1);
        return ma > major || (ma == major && mi >= minor);
    }

    private static int number(String[] parts, int i) {
        if (i >= parts.length) {
            return 0;
        }
        try {
            return Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // only a version too long to be known: treated as newest
        }
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}

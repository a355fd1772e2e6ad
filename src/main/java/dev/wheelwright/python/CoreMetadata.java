package dev.wheelwright.python;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Core metadata of a distribution ({@code METADATA} in a wheel, {@code PKG-INFO} in an sdist), versions 1.0–2.6.
 *
 * <p>Contract: {@link #parse(byte[])} reads the email-header format as Python's {@code email} parser with the
 * {@code compat32} policy does: UTF-8 (malformed bytes replaced), one {@code Field: value} per line, continuation
 * lines starting with whitespace folded into the previous value (kept with {@code \n}), multiple-use fields in
 * order, the body after the first empty line is the description unless a {@code Description} header exists (its
 * {@code        |} or 8-space continuation prefixes are removed). {@code Metadata-Version}, {@code Name} and
 * {@code Version} are required and may appear once; a numeric {@code Metadata-Version} newer than 2.6 is tolerated
 * (best effort), a non-numeric one is rejected. Values are not validated beyond that: use {@link #projectName()}
 * and {@link #parsedVersion()}. Keys of {@code fields} use the specification's spelling for known fields (else the
 * first spelling seen) and keep file order; lookups through {@link #all(String)}/{@link #first(String)} ignore
 * case. Failures throw {@link InvalidDistributionException}. Immutable and thread safe.
 *
 * @param metadataVersion the {@code Metadata-Version} value
 * @param name the {@code Name} value as written
 * @param version the {@code Version} value as written
 * @param summary the {@code Summary} value, if present
 * @param requiresPython the {@code Requires-Python} value, if present
 * @param fields every header, values in file order (includes the three required fields and {@code Description})
 * @param description the long description: the {@code Description} header or else the non-empty message body
 */
public record CoreMetadata(
        String metadataVersion,
        String name,
        String version,
        Optional<String> summary,
        Optional<String> requiresPython,
        Map<String, List<String>> fields,
        Optional<String> description) {

    /** Metadata versions defined by the specification (there is no 2.0). */
    public static final List<String> KNOWN_VERSIONS =
            List.of("1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6");

    private static final List<String> KNOWN_FIELDS = List.of(
            "Metadata-Version",
            "Name",
            "Version",
            "Dynamic",
            "Platform",
            "Supported-Platform",
            "Summary",
            "Description",
            "Description-Content-Type",
            "Keywords",
            "Home-page",
            "Download-URL",
            "Author",
            "Author-email",
            "Maintainer",
            "Maintainer-email",
            "License",
            "License-Expression",
            "License-File",
            "Classifier",
            "Requires-Dist",
            "Requires-Python",
            "Requires-External",
            "Project-URL",
            "Provides-Extra",
            "Provides-Dist",
            "Obsoletes-Dist",
            "Requires",
            "Provides",
            "Obsoletes",
            "Import-Name",
            "Import-Namespace");
    private static final Map<String, String> CANONICAL = canonicalSpellings();
    private static final Pattern HEADER_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]+");
    private static final Pattern METADATA_VERSION = Pattern.compile("[0-9]+(?:\\.[0-9]+)*");

    /** Copies the collections deeply; rejects nulls. */
    public CoreMetadata {
        Objects.requireNonNull(metadataVersion, "metadataVersion");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(requiresPython, "requiresPython");
        Objects.requireNonNull(description, "description");
        LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
        fields.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        fields = Collections.unmodifiableMap(copy);
    }

    private static Map<String, String> canonicalSpellings() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String field : KNOWN_FIELDS) {
            map.put(field.toLowerCase(Locale.ROOT), field);
        }
        return Map.copyOf(map);
    }

    /**
     * Parses METADATA / PKG-INFO bytes.
     *
     * @throws InvalidDistributionException if a required field is missing, repeated or empty, or the
     *     {@code Metadata-Version} is not numeric
     */
    public static CoreMetadata parse(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        String text = decode(bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        LinkedHashMap<String, List<String>> fields = new LinkedHashMap<>();
        Map<String, String> keyByLowerCase = new LinkedHashMap<>();
        List<String> lines = splitLines(text);
        String currentKey = null;
        List<StringBuilder> currentValues = new ArrayList<>();
        StringBuilder current = null;
        int i = 0;
        for (; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                i++;
                break;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                if (current != null) {
                    current.append('\n').append(line);
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !HEADER_NAME.matcher(line.substring(0, colon)).matches()) {
                break; // not a header: like Python's feedparser, the body starts here
            }
            flush(fields, currentKey, current);
            String raw = line.substring(0, colon);
            String lower = raw.toLowerCase(Locale.ROOT);
            currentKey = keyByLowerCase.computeIfAbsent(lower, k -> CANONICAL.getOrDefault(k, raw));
            current = new StringBuilder(stripLeading(line.substring(colon + 1)));
        }
        flush(fields, currentKey, current);
        String body = String.join("\n", lines.subList(Math.min(i, lines.size()), lines.size()));
        if (!body.isEmpty() && (text.endsWith("\n") || text.endsWith("\r"))) {
            body += "\n";
        }

        String metadataVersion = required(fields, "Metadata-Version");
        if (!METADATA_VERSION.matcher(metadataVersion).matches()) {
            throw new InvalidDistributionException(
                    "metadata has an invalid Metadata-Version " + Echo.quote(metadataVersion));
        }
        String name = required(fields, "Name");
        String version = required(fields, "Version");
        Optional<String> description = firstOf(fields, "Description").map(CoreMetadata::unescapeDescription);
        if (description.isEmpty() && !body.isEmpty()) {
            description = Optional.of(body);
        }
        return new CoreMetadata(
                metadataVersion,
                name,
                version,
                firstOf(fields, "Summary"),
                firstOf(fields, "Requires-Python"),
                fields,
                description);
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidDistributionException("metadata is not UTF-8 text", e);
        }
    }

    private static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(i);
    }

    private static void flush(Map<String, List<String>> fields, String key, StringBuilder value) {
        if (key != null && value != null) {
            fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value.toString());
        }
    }

    private static String required(Map<String, List<String>> fields, String field) {
        List<String> values = fields.get(field);
        if (values == null || values.isEmpty()) {
            throw new InvalidDistributionException("metadata has no " + field + " field");
        }
        if (values.size() > 1) {
            throw new InvalidDistributionException("metadata has more than one " + field + " field");
        }
        String value = values.get(0).strip();
        if (value.isEmpty()) {
            throw new InvalidDistributionException("metadata has an empty " + field + " field");
        }
        return value;
    }

    private static Optional<String> firstOf(Map<String, List<String>> fields, String field) {
        List<String> values = fields.get(field);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Removes the {@code 7 spaces + |} (old setuptools) or 8-space continuation prefix of a Description header. */
    private static String unescapeDescription(String value) {
        String[] lines = value.split("\n", -1);
        StringBuilder out = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("       |")) {
                line = line.substring(8);
            } else if (line.startsWith("        ")) {
                line = line.substring(8);
            } else {
                line = stripLeading(line);
            }
            out.append('\n').append(line);
        }
        return out.toString();
    }

    /** Every value of {@code field} (case-insensitive), in file order; empty if absent. */
    public List<String> all(String field) {
        for (Map.Entry<String, List<String>> entry : fields.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(field)) {
                return entry.getValue();
            }
        }
        return List.of();
    }

    /** The first value of {@code field} (case-insensitive), if present. */
    public Optional<String> first(String field) {
        List<String> values = all(field);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** True when {@link #metadataVersion()} is one the specification defines (1.0–2.6). */
    public boolean isKnownMetadataVersion() {
        return KNOWN_VERSIONS.contains(metadataVersion);
    }

    /**
     * The {@code Name} as a validated project name.
     *
     * @throws InvalidProjectNameException if it is not a valid name
     */
    public ProjectName projectName() {
        return ProjectName.parse(name);
    }

    /**
     * The {@code Version} as a PEP 440 version.
     *
     * @throws InvalidVersionException if it is not a valid version
     */
    public Version parsedVersion() {
        return Version.parse(version);
    }
}

package dev.wheelwright.source;

import dev.wheelwright.python.InvalidVersionException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps git tag names to PEP 440 versions the way setuptools-scm does (spec {@code versions.md} §7).
 *
 * <p>Contract: {@link #fromTag(String, ProjectName)} applies setuptools-scm's default tag regex
 * {@code ^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$} and additionally accepts the monorepo
 * forms {@code {name}/v1.2.3} and {@code {name}/1.2.3} when {@code name} normalizes to the project's name (tags
 * with a {@code /} naming another project yield nothing). A {@code +local} suffix is kept when the version with it
 * still parses. A tag that does not match or whose version is not PEP 440 yields {@link Optional#empty()}; nothing
 * is thrown for bad tags. Stateless and thread safe.
 */
public final class TagVersions {
    /** setuptools-scm {@code DEFAULT_TAG_REGEX}; Python's {@code \w}/{@code \d} are Unicode-aware, hence the flag. */
    private static final Pattern DEFAULT = Pattern.compile(
            "(?:[\\w-]+-)?(?<version>[vV]?\\d+(?:\\.\\d+){0,2}[^+]*)(?:\\+.*)?", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Pattern MONOREPO_VERSION = Pattern.compile("[vV]?[0-9].*");

    private static final int MAX_TAG_LENGTH = 1024;

    private TagVersions() {}

    /**
     * The version a tag of {@code project} stands for, or empty if the tag is not a version tag.
     *
     * @param tag a tag name without {@code refs/tags/}
     */
    public static Optional<Version> fromTag(String tag, ProjectName project) {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(project, "project");
        if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
            return Optional.empty();
        }
        int slash = tag.indexOf('/');
        if (slash >= 0) {
            String owner = tag.substring(0, slash);
            String rest = tag.substring(slash + 1);
            if (!ProjectName.normalize(owner).equals(project.normalized())
                    || !MONOREPO_VERSION.matcher(rest).matches()) {
                return Optional.empty();
            }
            return parse(rest);
        }
        Matcher m = DEFAULT.matcher(tag);
        if (!m.matches()) {
            return Optional.empty();
        }
        return withSuffix(m.group("version"), tag.substring(m.end("version")));
    }

    /**
     * The version a tag stands for under a custom tag regex (setuptools-scm {@code tag.regex}): the pattern must
     * match at the start of the tag ({@code re.match} semantics); the version is the named group {@code version},
     * or the first group when there is no such group.
     */
    public static Optional<Version> fromTag(String tag, Pattern customPattern) {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(customPattern, "customPattern");
        if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
            return Optional.empty();
        }
        Matcher m = customPattern.matcher(tag);
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        String version;
        int end;
        try {
            version = m.group("version");
            end = m.end("version");
        } catch (IllegalArgumentException noNamedGroup) {
            int group = m.groupCount() >= 1 ? 1 : 0;
            version = m.group(group);
            end = m.end(group);
        }
        if (version == null || version.isEmpty()) {
            return Optional.empty();
        }
        return withSuffix(version, tag.substring(end, m.end()));
    }

    /** Keeps a {@code +local} suffix when {@code version+suffix} still parses; other suffixes are dropped. */
    private static Optional<Version> withSuffix(String version, String suffix) {
        if (suffix.startsWith("+")) {
            Optional<Version> withLocal = parse(version + suffix);
            if (withLocal.isPresent()) {
                return withLocal;
            }
        }
        return parse(version);
    }

    private static Optional<Version> parse(String text) {
        if (!text.strip().equals(text)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Version.parse(text));
        } catch (InvalidVersionException e) {
            return Optional.empty();
        }
    }
}

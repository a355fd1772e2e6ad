package dev.wheelwright.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version specifier set such as {@code >=3.8, !=3.9.*} (as in {@code Requires-Python}).
 *
 * <p>Contract: {@link #parse(String)} accepts what {@code packaging.specifiers.SpecifierSet} accepts (empty items
 * between commas are ignored; the empty string is the set matching everything) and rejects the rest with
 * {@link InvalidSpecifierException}. {@link #contains(Version, boolean)} implements the PEP 440 operator rules
 * ({@code ~=}, {@code ==}/{@code !=} with {@code .*} prefixes and local labels, the exclusive {@code <}/{@code >}
 * rules, {@code ===} as case-insensitive string equality). {@link #toString()} is canonical: operators with the
 * normalized version, sorted, comma-joined. Immutable and thread safe.
 */
public final class VersionSpecifier {
    private static final String PRE = "(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?";
    private static final String POST = "(?:(?:-[0-9]+)|(?:[-_.]?(?:post|rev|r)[-_.]?[0-9]*))?";
    private static final String DEV = "(?:[-_.]?dev[-_.]?[0-9]*)?";
    private static final String LOCAL = "(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?";
    private static final String HEAD = "\\s*v?(?:[0-9]+!)?";

    /** packaging's {@code Specifier._regex_str}, one alternative per operator family. */
    private static final Pattern SPECIFIER = Pattern.compile(
            "\\s*(?:"
                    + "(?<arbitrary>===)\\s*(?<arbitraryVersion>[^\\s;)]*)"
                    + "|(?<eqOp>==|!=)(?<eqVersion>" + HEAD + "[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|" + PRE + POST + DEV
                    + LOCAL + "))"
                    + "|(?<compatible>~=)(?<compatibleVersion>" + HEAD + "[0-9]+(?:\\.[0-9]+)+" + PRE + POST + DEV + ")"
                    + "|(?<cmpOp><=|>=|<|>)(?<cmpVersion>" + HEAD + "[0-9]+(?:\\.[0-9]+)*" + PRE + POST + DEV + ")"
                    + ")\\s*",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern PRE_SUFFIX = Pattern.compile("([0-9]+)((?:a|b|c|rc)[0-9]+)");

    /** One {@code operator version} clause. */
    private record Clause(String operator, String version, Version parsed, boolean wildcard) {
        @Override
        public String toString() {
            if (parsed == null) {
                return operator + version;
            }
            return operator + parsed.normalized() + (wildcard ? ".*" : "");
        }
    }

    private final List<Clause> clauses;

    private VersionSpecifier(List<Clause> clauses) {
        this.clauses = List.copyOf(clauses);
    }

    /**
     * Parses a comma-separated specifier set.
     *
     * @throws InvalidSpecifierException if any clause is not a valid PEP 440 specifier
     */
    public static VersionSpecifier parse(String text) {
        Objects.requireNonNull(text, "specifier");
        if (text.length() > 4096) {
            throw new InvalidSpecifierException("invalid version specifier " + Echo.quote(text) + ": it is too long");
        }
        List<Clause> clauses = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (item.isBlank()) {
                continue;
            }
            clauses.add(clause(item, text));
        }
        return new VersionSpecifier(clauses);
    }

    private static Clause clause(String item, String whole) {
        Matcher m = SPECIFIER.matcher(item);
        if (!m.matches()) {
            throw new InvalidSpecifierException("invalid version specifier " + Echo.quote(whole) + ": "
                    + Echo.quote(item.strip()) + " is not a PEP 440 specifier");
        }
        if (m.group("arbitrary") != null) {
            return new Clause("===", m.group("arbitraryVersion"), null, false);
        }
        String operator;
        String version;
        if (m.group("eqOp") != null) {
            operator = m.group("eqOp");
            version = m.group("eqVersion").strip();
        } else if (m.group("compatible") != null) {
            operator = "~=";
            version = m.group("compatibleVersion").strip();
        } else {
            operator = m.group("cmpOp");
            version = m.group("cmpVersion").strip();
        }
        boolean wildcard = version.endsWith(".*");
        Version parsed;
        try {
            parsed = Version.parse(wildcard ? version.substring(0, version.length() - 2) : version);
        } catch (InvalidVersionException e) {
            throw new InvalidSpecifierException(
                    "invalid version specifier " + Echo.quote(whole) + ": " + e.getMessage());
        }
        return new Clause(operator, version, parsed, wildcard);
    }

    /**
     * True when {@code candidate} satisfies every clause. With {@code prereleases} false, any pre-release or dev
     * release candidate is rejected outright (packaging's {@code contains(v, prereleases=False)}); with true, only
     * the operator rules apply.
     */
    public boolean contains(Version candidate, boolean prereleases) {
        Objects.requireNonNull(candidate, "candidate");
        if (!prereleases && candidate.isPrerelease()) {
            return false;
        }
        for (Clause clause : clauses) {
            if (!matches(clause, candidate)) {
                return false;
            }
        }
        return true;
    }

    /** True when some clause names a pre-release, so installers would consider pre-releases for it. */
    public boolean impliesPrereleases() {
        for (Clause clause : clauses) {
            if (clause.parsed != null
                    && !clause.operator.equals("!=")
                    && !clause.wildcard
                    && clause.parsed.isPrerelease()) {
                return true;
            }
        }
        return false;
    }

    /** True when the set has no clauses and so matches every version. */
    public boolean isEmpty() {
        return clauses.isEmpty();
    }

    private static boolean matches(Clause clause, Version candidate) {
        Version spec = clause.parsed;
        return switch (clause.operator) {
            case "===" ->
                candidate.normalized().toLowerCase(Locale.ROOT).equals(clause.version.toLowerCase(Locale.ROOT));
            case "==" -> equal(clause, candidate);
            case "!=" -> !equal(clause, candidate);
            case "~=" -> compatible(spec, candidate);
            case "<=" -> candidate.withoutLocal().compareTo(spec) <= 0;
            case ">=" -> candidate.withoutLocal().compareTo(spec) >= 0;
            case "<" -> less(spec, candidate);
            case ">" -> greater(spec, candidate);
            default -> throw new IllegalStateException(clause.operator);
        };
    }

    private static boolean equal(Clause clause, Version candidate) {
        if (clause.wildcard) {
            return prefixMatches(clause.parsed, candidate);
        }
        if (clause.parsed.local().isPresent()) {
            return candidate.compareTo(clause.parsed) == 0;
        }
        return candidate.withoutLocal().compareTo(clause.parsed) == 0;
    }

    /** packaging's wildcard rule: pad the candidate's release, cut it to the prefix length, compare segments. */
    private static boolean prefixMatches(Version prefix, Version candidate) {
        List<String> spec = split(prefix);
        List<String> prospective = split(candidate.withoutLocal());
        int specRelease = releaseLength(spec);
        int candidateRelease = releaseLength(prospective);
        List<String> padded = new ArrayList<>(prospective.subList(0, candidateRelease));
        while (padded.size() < specRelease) {
            padded.add("0");
        }
        padded.addAll(prospective.subList(candidateRelease, prospective.size()));
        if (padded.size() < spec.size()) {
            return false;
        }
        return padded.subList(0, spec.size()).equals(spec);
    }

    /** packaging's {@code _version_split} of the normal form: epoch, release numbers, then suffix segments. */
    private static List<String> split(Version v) {
        List<String> out = new ArrayList<>();
        out.add(Integer.toString(v.epoch()));
        String s = v.publicVersion();
        int bang = s.indexOf('!');
        if (bang >= 0) {
            s = s.substring(bang + 1);
        }
        for (String item : s.split("\\.")) {
            Matcher m = PRE_SUFFIX.matcher(item);
            if (m.matches()) {
                out.add(m.group(1));
                out.add(m.group(2));
            } else {
                out.add(item);
            }
        }
        return out;
    }

    private static int releaseLength(List<String> parts) {
        int n = 0;
        while (n < parts.size() && parts.get(n).chars().allMatch(c -> c >= '0' && c <= '9')) {
            n++;
        }
        return n;
    }

    private static boolean compatible(Version spec, Version candidate) {
        List<String> parts = split(spec);
        List<String> prefix = new ArrayList<>();
        for (String part : parts) {
            if (part.startsWith("dev")
                    || part.startsWith("a")
                    || part.startsWith("b")
                    || part.startsWith("rc")
                    || part.startsWith("post")) {
                break;
            }
            prefix.add(part);
        }
        prefix.remove(prefix.size() - 1);
        String prefixText = prefix.get(0) + "!" + String.join(".", prefix.subList(1, prefix.size()));
        Version prefixVersion = Version.parse(prefixText);
        return candidate.withoutLocal().compareTo(spec) >= 0 && prefixMatches(prefixVersion, candidate);
    }

    /**
     * {@code <V}: below V, and for a final or post-release V also below {@code V.dev0}, so pre-releases of V
     * itself never match (packaging 26 range semantics: {@code <1.0.post1} still matches {@code 1.0.dev0}).
     */
    private static boolean less(Version spec, Version candidate) {
        Version bound = spec.isPrerelease() ? spec : spec.withDevZero();
        return candidate.compareTo(bound) < 0;
    }

    /**
     * {@code >V}: above V but not V's local variants, nor, for a V without post or dev segment, V's
     * post-releases (packaging 26 range semantics: {@code >1.0a1} matches {@code 1.0.post0}).
     */
    private static boolean greater(Version spec, Version candidate) {
        if (candidate.compareTo(spec) <= 0 || candidate.withoutLocal().compareTo(spec) == 0) {
            return false;
        }
        if (spec.isDevrelease() || spec.isPostrelease()) {
            return true;
        }
        return !spec.withoutLocal().sameReleaseAndPre(candidate);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VersionSpecifier s && toString().equals(s.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Canonical form: each clause as operator + normalized version, sorted and de-duplicated, joined by commas. */
    @Override
    public String toString() {
        TreeSet<String> sorted = new TreeSet<>();
        for (Clause clause : clauses) {
            sorted.add(clause.toString());
        }
        return String.join(",", sorted);
    }
}

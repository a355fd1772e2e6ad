package dev.wheelwright.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEP 440 version, parsed and normalized exactly like {@code packaging.version.Version}.
 *
 * <p>Contract: {@link #parse(String)} accepts every spelling packaging accepts (leading {@code v}, any case,
 * {@code alpha}/{@code beta}/{@code c}/{@code pre}/{@code preview}/{@code rev}/{@code r}, implicit numbers, the
 * implicit post-release {@code 1.0-1}, {@code -}/{@code _} in local labels, surrounding whitespace) and rejects
 * everything else with {@link InvalidVersionException}. Numbers are unbounded ({@link BigInteger}).
 * {@link #compareTo} is PEP 440 ordering ({@code .devN < aN < bN < rcN < final < +local < .postN}), and
 * {@link #equals}/{@link #hashCode} agree with it, so {@code 1.0} equals {@code 1.0.0}; use {@link #normalized()}
 * for display and filenames and {@link #canonical()} as an identity key. Immutable and thread safe.
 */
public final class Version implements Comparable<Version> {
    private static final Pattern PATTERN = Pattern.compile("""
            v?
            (?:
                (?:(?<epoch>[0-9]+)!)?
                (?<release>[0-9]+(?:\\.[0-9]+)*)
                (?<pre>[-_.]?(?<preL>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<preN>[0-9]+)?)?
                (?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?
                (?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?
            )
            (?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?
            """, Pattern.COMMENTS | Pattern.CASE_INSENSITIVE);

    private static final Pattern LOCAL_SEPARATORS = Pattern.compile("[-_.]");

    /** Longest input accepted; guards the regex and BigInteger parsing against absurd input. */
    private static final int MAX_LENGTH = 1024;

    private final BigInteger epoch;
    private final List<BigInteger> release;
    private final String preLabel; // "a", "b", "rc" or null
    private final BigInteger preNumber;
    private final BigInteger post; // null if absent
    private final BigInteger dev; // null if absent
    private final List<String> local; // empty if absent; numeric segments already int-normalized
    private final String normalized;

    private Version(
            BigInteger epoch,
            List<BigInteger> release,
            String preLabel,
            BigInteger preNumber,
            BigInteger post,
            BigInteger dev,
            List<String> local) {
        this.epoch = epoch;
        this.release = List.copyOf(release);
        this.preLabel = preLabel;
        this.preNumber = preNumber;
        this.post = post;
        this.dev = dev;
        this.local = List.copyOf(local);
        this.normalized = render(true, true, false);
    }

    /**
     * Parses and normalizes a PEP 440 version.
     *
     * @throws InvalidVersionException if {@code text} is not a valid PEP 440 version
     */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "version");
        if (text.length() > MAX_LENGTH) {
            throw new InvalidVersionException("invalid version " + Echo.quote(text) + ": it is too long");
        }
        String stripped = strip(text);
        Matcher m = PATTERN.matcher(stripped);
        if (stripped.isEmpty() || !m.matches()) {
            throw new InvalidVersionException("invalid version " + Echo.quote(text) + ": it is not a PEP 440 version");
        }
        BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        if (epoch.bitLength() > 31) {
            throw new InvalidVersionException("invalid version " + Echo.quote(text) + ": its epoch is too large");
        }
        List<BigInteger> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) {
            release.add(new BigInteger(part));
        }
        String preLabel = null;
        BigInteger preNumber = null;
        if (m.group("pre") != null) {
            preLabel = switch (m.group("preL").toLowerCase(Locale.ROOT)) {
                case "a", "alpha" -> "a";
                case "b", "beta" -> "b";
                default -> "rc";
            };
            preNumber = number(m.group("preN"));
        }
        BigInteger post = null;
        if (m.group("post") != null) {
            post = number(m.group("postN1") != null ? m.group("postN1") : m.group("postN2"));
        }
        BigInteger dev = m.group("dev") == null ? null : number(m.group("devN"));
        List<String> local = new ArrayList<>();
        if (m.group("local") != null) {
            for (String part : LOCAL_SEPARATORS.split(m.group("local"), -1)) {
                local.add(isDigits(part) ? new BigInteger(part).toString() : part.toLowerCase(Locale.ROOT));
            }
        }
        return new Version(epoch, release, preLabel, preNumber, post, dev, local);
    }

    /** Strips what Python's {@code str.strip()} / regex {@code \s} strip: ASCII and Unicode whitespace. */
    private static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || (c >= 0x1c && c <= 0x1f) || c == 0x85;
    }

    private static BigInteger number(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private String render(boolean withLocal, boolean withSuffixes, boolean trimRelease) {
        StringBuilder out = new StringBuilder();
        if (epoch.signum() != 0) {
            out.append(epoch).append('!');
        }
        List<BigInteger> parts = trimRelease ? trimmedRelease() : release;
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(parts.get(i));
        }
        if (withSuffixes) {
            if (preLabel != null) {
                out.append(preLabel).append(preNumber);
            }
            if (post != null) {
                out.append(".post").append(post);
            }
            if (dev != null) {
                out.append(".dev").append(dev);
            }
        }
        if (withLocal && !local.isEmpty()) {
            out.append('+').append(String.join(".", local));
        }
        return out.toString();
    }

    private List<BigInteger> trimmedRelease() {
        int end = release.size();
        while (end > 1 && release.get(end - 1).signum() == 0) {
            end--;
        }
        return release.subList(0, end);
    }

    /** The normal form, {@code str(packaging.version.Version(text))}; trailing zeros are kept ({@code 1.0.0}). */
    public String normalized() {
        return normalized;
    }

    /**
     * The identity key, {@code packaging.utils.canonicalize_version}: the normal form with trailing zeros of the
     * release stripped ({@code 1.0.0rc1} → {@code 1rc1}). Equal versions have equal canonical strings.
     */
    public String canonical() {
        return render(true, true, true);
    }

    /** The normal form without the {@code +local} label. */
    public String publicVersion() {
        return render(false, true, false);
    }

    /** The epoch and release only ({@code packaging}'s {@code base_version}), e.g. {@code 1!2.0} for {@code 1!2.0rc1}. */
    public String baseVersion() {
        return render(false, false, false);
    }

    /** The normalized local label without {@code +}, if any. */
    public Optional<String> local() {
        return local.isEmpty() ? Optional.empty() : Optional.of(String.join(".", local));
    }

    /** The release numbers as written (trailing zeros kept); never empty. */
    public List<BigInteger> release() {
        return release;
    }

    /** The epoch, 0 when absent. */
    public int epoch() {
        return epoch.intValueExact();
    }

    /** The pre-release label ({@code a}, {@code b} or {@code rc}), if any. */
    public Optional<String> preLabel() {
        return Optional.ofNullable(preLabel);
    }

    /** The pre-release number, if there is a pre-release segment. */
    public Optional<BigInteger> preNumber() {
        return Optional.ofNullable(preNumber);
    }

    /** The post-release number, if any. */
    public Optional<BigInteger> post() {
        return Optional.ofNullable(post);
    }

    /** The dev-release number, if any. */
    public Optional<BigInteger> dev() {
        return Optional.ofNullable(dev);
    }

    /** True for a pre-release or a dev release (packaging {@code is_prerelease}). */
    public boolean isPrerelease() {
        return preLabel != null || dev != null;
    }

    /** True when there is a post-release segment. */
    public boolean isPostrelease() {
        return post != null;
    }

    /** True when there is a dev-release segment. */
    public boolean isDevrelease() {
        return dev != null;
    }

    /** This version without its local label (itself when it has none). */
    public Version withoutLocal() {
        return local.isEmpty() ? this : new Version(epoch, release, preLabel, preNumber, post, dev, List.of());
    }

    /** This version with {@code .dev0} and no local label: the lowest version of this release and pre-release. */
    Version withDevZero() {
        return new Version(epoch, release, preLabel, preNumber, post, BigInteger.ZERO, List.of());
    }

    /** True when epoch, release (zero-padded) and pre-release segment are equal. */
    boolean sameReleaseAndPre(Version other) {
        return epoch.equals(other.epoch)
                && compareRelease(release, other.release) == 0
                && Objects.equals(preLabel, other.preLabel)
                && Objects.equals(preNumber, other.preNumber);
    }

    /** PEP 440 ordering, packaging's {@code _cmpkey}. */
    @Override
    public int compareTo(Version other) {
        int c = epoch.compareTo(other.epoch);
        if (c != 0) {
            return c;
        }
        c = compareRelease(release, other.release);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(preRank(), other.preRank());
        if (c != 0) {
            return c;
        }
        if (preLabel != null) {
            c = preNumber.compareTo(other.preNumber);
            if (c != 0) {
                return c;
            }
        }
        c = compareAbsentFirst(post, other.post);
        if (c != 0) {
            return c;
        }
        c = compareAbsentLast(dev, other.dev);
        if (c != 0) {
            return c;
        }
        return compareLocal(local, other.local);
    }

    /** −1 dev-only release, 0 a, 1 b, 2 rc, 3 no pre-release. */
    private int preRank() {
        if (preLabel == null) {
            return post == null && dev != null ? -1 : 3;
        }
        return switch (preLabel) {
            case "a" -> 0;
            case "b" -> 1;
            default -> 2;
        };
    }

    private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static int compareAbsentFirst(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    private static int compareAbsentLast(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return a.compareTo(b);
    }

    /** No local sorts first; numeric segments beat alphanumeric ones; on a common prefix the longer wins. */
    private static int compareLocal(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            String x = a.get(i);
            String y = b.get(i);
            boolean xNum = isDigits(x);
            boolean yNum = isDigits(y);
            int c;
            if (xNum && yNum) {
                c = new BigInteger(x).compareTo(new BigInteger(y));
            } else if (xNum != yNum) {
                c = xNum ? 1 : -1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Equal when {@link #compareTo} says so ({@code 1.0} equals {@code 1.0.0}, {@code 1.0c1} equals {@code 1.0rc1}). */
    @Override
    public boolean equals(Object other) {
        return other instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    /** The normal form, same as {@link #normalized()}. */
    @Override
    public String toString() {
        return normalized;
    }

    /** Unmodifiable view, for callers that need the raw local segments. */
    List<String> localSegments() {
        return Collections.unmodifiableList(local);
    }
}

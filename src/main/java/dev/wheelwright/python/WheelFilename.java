package dev.wheelwright.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed wheel filename, {@code {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl} (PEP 427, living
 * binary distribution format spec), mirroring {@code packaging.utils.parse_wheel_filename}.
 *
 * <p>Contract: the name part must be letters, digits, {@code .} and {@code _} without {@code __} and form a valid
 * project name (legacy spellings such as {@code My.Pkg} are accepted); the version must be PEP 440 (any accepted
 * spelling); a build tag must start with a digit. {@code tags} holds the expanded, lower-cased
 * {@code python-abi-platform} triples, sorted. Invalid filenames throw {@link InvalidDistributionException}.
 *
 * @param filename the filename exactly as given
 * @param name the project name from the first field
 * @param version the version from the second field
 * @param buildTag the optional build tag, as written
 * @param tags the expanded compatibility tags, sorted, never empty
 */
public record WheelFilename(
        String filename, ProjectName name, Version version, Optional<String> buildTag, List<String> tags)
        implements DistributionFilename {
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9._]+");
    private static final Pattern BUILD_TAG = Pattern.compile("([0-9]+)(.*)");
    private static final Pattern TAG_COMPONENT = Pattern.compile("[A-Za-z0-9_]+");

    /** Copies {@code tags}; rejects nulls. */
    public WheelFilename {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(buildTag, "buildTag");
        tags = List.copyOf(tags);
    }

    /**
     * Parses a wheel filename.
     *
     * @throws InvalidDistributionException if it is not a valid wheel filename
     */
    public static WheelFilename parse(String filename) {
        Objects.requireNonNull(filename, "filename");
        FilenameRules.requireSafe(filename);
        if (!filename.endsWith(".whl")) {
            throw FilenameRules.invalid(filename, "a wheel filename must end in .whl");
        }
        String stem = filename.substring(0, filename.length() - 4);
        long dashes = stem.chars().filter(c -> c == '-').count();
        if (dashes != 4 && dashes != 5) {
            throw FilenameRules.invalid(filename, "a wheel filename has 5 or 6 dash-separated parts");
        }
        String[] parts = stem.split("-", -1);
        String namePart = parts[0];
        if (!NAME_PART.matcher(namePart).matches() || namePart.contains("__")) {
            throw FilenameRules.invalid(
                    filename,
                    "the project name part " + Echo.quote(namePart) + " must be letters, digits, '.' and single '_'");
        }
        ProjectName name = FilenameRules.name(filename, namePart);
        Version version = FilenameRules.version(filename, parts[1]);
        Optional<String> build = Optional.empty();
        if (dashes == 5) {
            if (!BUILD_TAG.matcher(parts[2]).matches()) {
                throw FilenameRules.invalid(
                        filename, "the build tag " + Echo.quote(parts[2]) + " must start with a digit");
            }
            build = Optional.of(parts[2]);
        }
        int t = parts.length - 3;
        return new WheelFilename(
                filename, name, version, build, expand(filename, parts[t], parts[t + 1], parts[t + 2]));
    }

    private static List<String> expand(String filename, String pythons, String abis, String platforms) {
        TreeSet<String> tags = new TreeSet<>();
        for (String python : components(filename, pythons)) {
            for (String abi : components(filename, abis)) {
                for (String platform : components(filename, platforms)) {
                    tags.add(python + "-" + abi + "-" + platform);
                }
            }
        }
        return new ArrayList<>(tags);
    }

    private static List<String> components(String filename, String field) {
        List<String> out = new ArrayList<>();
        for (String component : field.split("\\.", -1)) {
            if (!TAG_COMPONENT.matcher(component).matches()) {
                throw FilenameRules.invalid(filename, "the compatibility tag " + Echo.quote(field) + " is malformed");
            }
            out.add(component.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** The leading number of the build tag, its sort key's first element, if there is a build tag. */
    public Optional<BigInteger> buildNumber() {
        return buildTag.map(tag -> {
            Matcher m = BUILD_TAG.matcher(tag);
            return m.matches() ? new BigInteger(m.group(1)) : BigInteger.ZERO;
        });
    }

    /** The {@code .dist-info} directory name the spec prescribes: {@code {escaped name}-{version}.dist-info}. */
    public String distInfoDirectory() {
        return name.filenameEscaped() + "-" + version.normalized().replace('-', '_') + ".dist-info";
    }

    @Override
    public boolean sameDistributionAs(DistributionFilename other) {
        return other instanceof WheelFilename wheel
                && name.equals(wheel.name)
                && version.equals(wheel.version)
                && buildKey().equals(wheel.buildKey())
                && tags.equals(wheel.tags);
    }

    /** The build tag's sort key, {@code (number, rest)}, or an empty list without one. */
    private List<Object> buildKey() {
        return buildTag.<List<Object>>map(tag -> {
                    Matcher m = BUILD_TAG.matcher(tag);
                    return m.matches() ? List.of(new BigInteger(m.group(1)), m.group(2)) : List.of(tag);
                })
                .orElse(List.of());
    }

    @Override
    public Optional<String> nonCanonicalSpelling() {
        String written = filename.substring(0, filename.indexOf('-'));
        if (!written.equals(name.filenameEscaped())) {
            return Optional.of("Filename '" + filename + "' should contain the normalized project name '"
                    + name.filenameEscaped() + "', not '" + written + "'.");
        }
        return Optional.empty();
    }

    /** Always {@code bdist_wheel}. */
    @Override
    public String packagetype() {
        return "bdist_wheel";
    }
}

package dev.wheelwright.python;

import java.util.Objects;
import java.util.Optional;

/**
 * A parsed source distribution filename, {@code {name}-{version}.tar.gz} (PEP 625) or the legacy {@code .zip}.
 *
 * <p>Contract: {@link #parse(String)} mirrors {@code packaging.utils.parse_sdist_filename} (split on the last
 * {@code -}; the name must be a valid project name and the version PEP 440). {@link #parse(String, ProjectName)}
 * handles legacy names with dashes for a known project, like pip: the first {@code -} whose prefix normalizes to
 * the project's name separates name and version ({@code foo-1.0-1.tar.gz} is {@code foo 1.0.post1}). Invalid
 * filenames throw {@link InvalidDistributionException}.
 *
 * @param filename the filename exactly as given
 * @param name the project name part
 * @param version the version part
 */
public record SdistFilename(String filename, ProjectName name, Version version) implements DistributionFilename {

    /** Rejects nulls. */
    public SdistFilename {
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    /**
     * Parses an sdist filename, splitting name and version on the last {@code -}.
     *
     * @throws InvalidDistributionException if it is not a valid sdist filename
     */
    public static SdistFilename parse(String filename) {
        String stem = stem(filename);
        int dash = stem.lastIndexOf('-');
        if (dash < 0) {
            throw FilenameRules.invalid(filename, "an sdist filename is {name}-{version}.tar.gz");
        }
        return of(filename, stem.substring(0, dash), stem.substring(dash + 1));
    }

    /**
     * Parses a (possibly legacy) sdist filename of a known project: the name part is the shortest prefix ending
     * before a {@code -} that normalizes to {@code known}.
     *
     * @throws InvalidDistributionException if no such prefix exists or the rest is not a PEP 440 version
     */
    public static SdistFilename parse(String filename, ProjectName known) {
        Objects.requireNonNull(known, "known");
        String stem = stem(filename);
        for (int i = stem.indexOf('-'); i >= 0; i = stem.indexOf('-', i + 1)) {
            if (ProjectName.normalize(stem.substring(0, i)).equals(known.normalized())) {
                return of(filename, stem.substring(0, i), stem.substring(i + 1));
            }
        }
        throw FilenameRules.invalid(
                filename, "it does not start with the project name " + Echo.quote(known.normalized()));
    }

    private static String stem(String filename) {
        Objects.requireNonNull(filename, "filename");
        FilenameRules.requireSafe(filename);
        if (filename.endsWith(".tar.gz")) {
            return filename.substring(0, filename.length() - ".tar.gz".length());
        }
        if (filename.endsWith(".zip")) {
            return filename.substring(0, filename.length() - ".zip".length());
        }
        throw FilenameRules.invalid(filename, "an sdist filename must end in .tar.gz or .zip");
    }

    private static SdistFilename of(String filename, String namePart, String versionPart) {
        return new SdistFilename(
                filename, FilenameRules.name(filename, namePart), FilenameRules.version(filename, versionPart));
    }

    /** True for the legacy {@code .zip} format. */
    public boolean isZip() {
        return filename.endsWith(".zip");
    }

    @Override
    public boolean sameDistributionAs(DistributionFilename other) {
        return other instanceof SdistFilename sdist
                && name.equals(sdist.name)
                && version.equals(sdist.version)
                && isZip() == sdist.isZip();
    }

    @Override
    public Optional<String> nonCanonicalSpelling() {
        String expected = name.filenameEscaped() + "-" + version.normalized() + (isZip() ? ".zip" : ".tar.gz");
        if (!filename.equals(expected)) {
            return Optional.of("Filename '" + filename + "' is invalid, should be '" + expected + "'.");
        }
        return Optional.empty();
    }

    /** Always {@code sdist}. */
    @Override
    public String packagetype() {
        return "sdist";
    }
}

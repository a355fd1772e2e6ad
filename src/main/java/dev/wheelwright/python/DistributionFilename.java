package dev.wheelwright.python;

import java.util.Objects;

/**
 * The parsed filename of a distribution file: a wheel ({@link WheelFilename}) or an sdist ({@link SdistFilename}).
 *
 * <p>Contract: {@link #parse(String)} dispatches on the extension ({@code .whl}; {@code .tar.gz} or {@code .zip})
 * and throws {@link InvalidDistributionException}, naming the file, for anything else, for names containing path
 * separators, NUL, control or whitespace characters, and for names longer than 255 characters.
 */
public sealed interface DistributionFilename permits WheelFilename, SdistFilename {
    /** The project named by the filename. */
    ProjectName name();

    /** The version named by the filename. */
    Version version();

    /** The filename exactly as given. */
    String filename();

    /** The upload form's {@code filetype}: {@code bdist_wheel} or {@code sdist}. */
    String packagetype();

    /**
     * True when both name the same distribution, whatever the spelling (#14): the same normalized project name and
     * PEP 440-equal version, and for wheels the same build tag (compared by its sort key) and expanded tag set, for
     * sdists the same archive format.
     */
    boolean sameDistributionAs(DistributionFilename other);

    /**
     * The filename a producer must write today for this distribution's name and version, compared with how this
     * one is written: the name part must be the normalized name with {@code -} as {@code _} (PEP 427 as revised,
     * PEP 625), and an sdist's version part the normalized version. Empty when it is written so; otherwise the
     * reason, one sentence naming the file.
     */
    java.util.Optional<String> nonCanonicalSpelling();

    /**
     * Parses a wheel or sdist filename.
     *
     * @throws InvalidDistributionException if it is neither a valid wheel nor a valid sdist filename
     */
    static DistributionFilename parse(String filename) {
        Objects.requireNonNull(filename, "filename");
        FilenameRules.requireSafe(filename);
        if (filename.endsWith(".whl")) {
            return WheelFilename.parse(filename);
        }
        if (filename.endsWith(".tar.gz") || filename.endsWith(".zip")) {
            return SdistFilename.parse(filename);
        }
        throw FilenameRules.invalid(filename, "only .whl, .tar.gz and .zip distributions are accepted");
    }
}

package dev.wheelwright.python;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wheelwright.errors.WheelwrightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * #5: fuzz targets for everything that parses bytes from an uploader: versions, filenames, core metadata and
 * archives, and (#14) the metadata field validators. The only expected failure is a {@link WheelwrightException} of kind INVALID_INPUT (a clear 400); any
 * other exception or error is a finding.
 *
 * <p>Under {@code mvn test} each target replays its seed corpus in
 * {@code src/test/resources/dev/wheelwright/python/PythonParsersFuzzTestInputs/<method>/} (crashes found by fuzzing
 * are kept there as regression inputs). {@code JAZZER_FUZZ=1} fuzzes one target for {@code maxDuration}
 * ({@code JAZZER_MAX_DURATION} overrides it): see {@code scripts/fuzz} and the {@code fuzz-ci} Maven profile.
 */
class PythonParsersFuzzTest {
    private static final WheelFilename WHEEL = WheelFilename.parse("fuzz_pkg-1.0-py3-none-any.whl");
    private static final SdistFilename TAR_GZ = SdistFilename.parse("fuzz_pkg-1.0.tar.gz");
    private static final SdistFilename ZIP = SdistFilename.parse("fuzz_pkg-1.0.zip");
    private static final Path SCRATCH = scratch();

    @FuzzTest(maxDuration = "10s")
    void version_parse(byte[] data) {
        expectInvalidInputOnly(data, () -> {
            Version v = Version.parse(new String(data, StandardCharsets.UTF_8));
            Version.parse(v.normalized()); // a normalized version parses again, to itself
            if (!Version.parse(v.normalized()).equals(v)) {
                throw new AssertionError("normalization is not stable for " + v.normalized());
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void distribution_filename_parse(byte[] data) {
        expectInvalidInputOnly(data, () -> {
            DistributionFilename f = DistributionFilename.parse(new String(data, StandardCharsets.UTF_8));
            if (f.filename().contains("/")
                    || f.filename().contains("\\")
                    || f.filename().indexOf('\0') >= 0) {
                throw new AssertionError("a filename with a path separator or NUL was accepted: " + f.filename());
            }
        });
    }

    @FuzzTest(maxDuration = "10s")
    void core_metadata_parse(byte[] data) {
        expectInvalidInputOnly(data, () -> {
            CoreMetadata m = CoreMetadata.parse(data);
            m.projectName();
            m.parsedVersion();
        });
    }

    @FuzzTest(maxDuration = "10s")
    void wheel_archive(byte[] data) throws IOException {
        Path file = SCRATCH.resolve(WHEEL.filename());
        Files.write(file, data);
        expectInvalidInputOnly(data, () -> CoreMetadata.parse(DistributionArchive.wheelMetadata(file, WHEEL)));
    }

    @FuzzTest(maxDuration = "10s")
    void sdist_archive(byte[] data) throws IOException {
        Path tarGz = SCRATCH.resolve(TAR_GZ.filename());
        Path zip = SCRATCH.resolve(ZIP.filename());
        Files.write(tarGz, data);
        Files.write(zip, data);
        expectInvalidInputOnly(data, () -> CoreMetadata.parse(DistributionArchive.sdistMetadata(tarGz, TAR_GZ)));
        expectInvalidInputOnly(data, () -> CoreMetadata.parse(DistributionArchive.sdistMetadata(zip, ZIP)));
    }

    /**
     * #14: the metadata field validators. The input is tried as a whole METADATA file (every rule through
     * {@link MetadataRules#check}) and, as text, directly as a PEP 508 requirement, a marker and an SPDX expression;
     * a value accepted as a requirement must keep its name valid.
     */
    @FuzzTest(maxDuration = "10s")
    void metadata_rules(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        expectInvalidInputOnly(data, () -> MetadataRules.check(CoreMetadata.parse(data)));
        expectInvalidInputOnly(data, () -> {
            Requirement r = Requirement.parse(text);
            ProjectName.parse(r.name().original());
        });
        expectInvalidInputOnly(data, () -> Requirement.checkMarker(text));
        expectInvalidInputOnly(data, () -> LicenseExpression.check(text));
        expectInvalidInputOnly(
                data,
                () -> MetadataRules.checkLicenseFiles(
                        CoreMetadata.parse(("Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-File: " + text + "\n")
                                .getBytes(StandardCharsets.UTF_8)),
                        java.util.Set.of("LICENSE"),
                        "fuzz"));
    }

    /** Runs {@code parse}; a rejection must be INVALID_INPUT with a message that names no path the input did not. */
    private static void expectInvalidInputOnly(byte[] input, Runnable parse) {
        try {
            parse.run();
        } catch (WheelwrightException e) {
            if (e.kind() != WheelwrightException.Kind.INVALID_INPUT) {
                throw new AssertionError("a " + e.kind() + " failure instead of INVALID_INPUT", e);
            }
            boolean echoesInput = new String(input, StandardCharsets.ISO_8859_1).contains(SCRATCH.toString())
                    || new String(input, StandardCharsets.UTF_8).contains(SCRATCH.toString());
            if (e.getMessage() == null
                    || e.getMessage().isBlank()
                    || (e.getMessage().contains(SCRATCH.toString()) && !echoesInput)) {
                throw new AssertionError("a rejection without a clear message, or naming a server path", e);
            }
        }
    }

    private static Path scratch() {
        try {
            Path dir = Files.createTempDirectory("wheelwright-fuzz-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.wheelwright.upload;

import dev.wheelwright.python.CoreMetadata;
import dev.wheelwright.python.DistributionArchive;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.InvalidDistributionException;
import dev.wheelwright.python.MetadataRules;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.SdistFilename;
import dev.wheelwright.python.Version;
import dev.wheelwright.python.WheelFilename;
import dev.wheelwright.storage.StoredFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What every stored distribution must satisfy, whether it arrives by upload, import or build, and what
 * {@link StorageAudit} checks again on files already stored (#14): the file's own metadata names the filename's
 * project and version, meets {@link MetadataRules}, and its License-File paths exist in the archive; one file per
 * distribution identity. Stateless.
 */
final class DistributionRules {
    private DistributionRules() {}

    /** The file's metadata after every check passed. */
    record Checked(CoreMetadata metadata, byte[] metadataBytes) {}

    /**
     * Reads and checks the distribution at {@code file}.
     *
     * @throws dev.wheelwright.errors.WheelwrightException of kind INVALID_INPUT at the first rule broken
     */
    static Checked check(Path file, DistributionFilename filename) {
        DistributionArchive.Contents contents = DistributionArchive.contents(file, filename);
        CoreMetadata metadata = CoreMetadata.parse(contents.metadata());
        ProjectName metadataName = metadata.projectName();
        Version metadataVersion = metadata.parsedVersion();
        if (!metadataName.equals(filename.name())) {
            throw new InvalidDistributionException("The metadata of " + filename.filename() + " names project '"
                    + metadataName.original() + "', not '" + filename.name().original() + "'.");
        }
        if (!metadataVersion.equals(filename.version())) {
            throw new InvalidDistributionException("The metadata of " + filename.filename() + " says version "
                    + metadataVersion + ", but the filename says " + filename.version() + ".");
        }
        MetadataRules.check(metadata);
        MetadataRules.checkLicenseFiles(
                metadata, contents.licenseCandidates(), filename.filename() + " at " + contents.licenseRoot());
        return new Checked(metadata, contents.metadata());
    }

    /** The stored file among {@code files} that is the same distribution as {@code filename}, if any. */
    static Optional<StoredFile> sameDistribution(List<StoredFile> files, DistributionFilename filename) {
        for (StoredFile stored : files) {
            Optional<DistributionFilename> parsed = parse(stored);
            if (parsed.isPresent()
                    && !stored.filename().equals(filename.filename())
                    && parsed.get().sameDistributionAs(filename)) {
                return Optional.of(stored);
            }
        }
        return Optional.empty();
    }

    /** A stored file's filename, parsed (legacy sdist names with dashes through the project's name). */
    static Optional<DistributionFilename> parse(StoredFile stored) {
        try {
            return Optional.of(
                    stored.isWheel()
                            ? WheelFilename.parse(stored.filename())
                            : SdistFilename.parse(stored.filename(), stored.project()));
        } catch (InvalidDistributionException e) {
            return Optional.empty(); // stored before its rules existed; the audit reports it
        }
    }
}

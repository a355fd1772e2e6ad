package dev.wheelwright.upload;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists the files already stored that break today's upload rules (#14; the CLI's {@code check --storage}): a
 * filename that no longer parses, a second file of one distribution, metadata that breaks {@link DistributionRules},
 * a missing blob. Reads only: nothing is changed or deleted. Not thread-safe (one audit per instance at a time).
 *
 * @param catalog the stored files and their metadata
 * @param blobs where the files' bytes are
 * @param tmpDir where a blob is copied to be checked (the copies are deleted)
 */
public record StorageAudit(ProjectCatalog catalog, BlobStore blobs, Path tmpDir) {
    public StorageAudit {
        Objects.requireNonNull(catalog);
        Objects.requireNonNull(blobs);
        Objects.requireNonNull(tmpDir);
    }

    /** One stored file and the rule it breaks, as one sentence. */
    public record Finding(ProjectName project, String filename, String problem) {}

    /** The result: how many files were looked at, and what is wrong with which. */
    public record Report(int filesChecked, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }
    }

    /**
     * Checks every stored file of every project, in catalog order.
     *
     * @throws StorageException if the catalog or the blob store fails (a missing blob is a finding)
     */
    public Report run() {
        List<Finding> findings = new ArrayList<>();
        int checked = 0;
        for (ProjectRecord project : catalog.projects()) {
            List<StoredFile> files = catalog.files(project.name());
            List<StoredFile> earlier = new ArrayList<>();
            for (StoredFile file : files) {
                checked++;
                check(file, earlier)
                        .ifPresent(problem -> findings.add(new Finding(file.project(), file.filename(), problem)));
                earlier.add(file);
            }
        }
        return new Report(checked, findings);
    }

    private Optional<String> check(StoredFile file, List<StoredFile> earlier) {
        Optional<DistributionFilename> filename = DistributionRules.parse(file);
        if (filename.isEmpty()) {
            return Optional.of("the filename is not a valid wheel or sdist filename");
        }
        Optional<StoredFile> same = DistributionRules.sameDistribution(earlier, filename.get());
        if (same.isPresent()) {
            return Optional.of("it is the same distribution as " + same.get().filename() + ", stored before it"
                    + (same.get().sha256().equals(file.sha256()) ? " with the same bytes" : " with other bytes"));
        }
        Path copy = null;
        try (InputStream in = blobs.open(file.blob()).orElse(null)) {
            if (in == null) {
                return Optional.of("its bytes are missing from the blob store (" + file.blob() + ")");
            }
            Files.createDirectories(tmpDir);
            copy = Files.createTempFile(tmpDir, "audit-", ".part");
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            DistributionRules.check(copy, filename.get());
            return Optional.empty();
        } catch (WheelwrightException e) {
            if (e instanceof StorageException) {
                throw e;
            }
            return Optional.of(e.getMessage());
        } catch (IOException e) {
            throw new StorageException("cannot read " + file.blob() + " for the audit", e);
        } finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    // the spool directory holding it is removed when the process's storage closes
                }
            }
        }
    }
}

package dev.wheelwright.builds;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of rebuilding a release and comparing the result with its stored files.
 *
 * @param project normalized project name
 * @param version PEP 440 normalized version
 * @param tag the tag rebuilt
 * @param commit the commit rebuilt
 * @param sourceDate the {@code SOURCE_DATE_EPOCH} of the rebuild (the commit's time); empty when the rebuild failed
 *     before the export
 * @param reproducible whether the rebuild succeeded and every file is identical, none missing on either side
 * @param error why the rebuild failed; empty when it succeeded
 * @param logTail the end of the rebuild's log when it failed (the rebuild's directory, log included, is deleted)
 * @param files every file of the stored release and of the rebuild, by filename
 * @param started when the rebuild started
 * @param durationMillis how long export, build and comparison took
 */
public record Verification(
        String project,
        String version,
        String tag,
        String commit,
        Optional<Instant> sourceDate,
        boolean reproducible,
        Optional<String> error,
        Optional<String> logTail,
        List<FileCheck> files,
        Instant started,
        long durationMillis) {
    public Verification {
        Objects.requireNonNull(project);
        Objects.requireNonNull(version);
        Objects.requireNonNull(tag);
        Objects.requireNonNull(commit);
        Objects.requireNonNull(sourceDate);
        Objects.requireNonNull(error);
        Objects.requireNonNull(logTail);
        files = List.copyOf(files);
        Objects.requireNonNull(started);
    }

    /**
     * One file compared.
     *
     * @param filename the distribution's filename
     * @param storedSha256 sha256 of the bytes the blob store holds now; empty when the release has no such file or its
     *     blob is gone
     * @param recordedSha256 sha256 the index records (and serves to installers) for the file; empty when there is no
     *     such file
     * @param rebuiltSha256 sha256 of the rebuilt file; empty when the rebuild made no such file
     * @param identical whether all three are present and equal
     */
    public record FileCheck(
            String filename,
            Optional<String> storedSha256,
            Optional<String> recordedSha256,
            Optional<String> rebuiltSha256,
            boolean identical) {
        public FileCheck {
            Objects.requireNonNull(filename);
            Objects.requireNonNull(storedSha256);
            Objects.requireNonNull(recordedSha256);
            Objects.requireNonNull(rebuiltSha256);
        }

        static FileCheck of(
                String filename, Optional<String> stored, Optional<String> recorded, Optional<String> rebuilt) {
            boolean same = rebuilt.isPresent() && rebuilt.equals(stored) && rebuilt.equals(recorded);
            return new FileCheck(filename, stored, recorded, rebuilt, same);
        }
    }
}

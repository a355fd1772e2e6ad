package dev.wheelwright.builds;

import dev.wheelwright.common.FileTrees;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a built release is reproducible: rebuilds it from its tag's commit in a fresh directory of its own
 * (export, {@code SOURCE_DATE_EPOCH}, backend: exactly what a build does) and compares every rebuilt file with the
 * stored one, byte for byte (sha256). Replaces and records nothing: no build record changes, no blob or file row is
 * written, no build log is kept; the rebuild's directory is deleted afterwards whatever happens. The build
 * environment (the venv of the build requirements) is the one builds reuse, read-only to the backend.
 *
 * <p>Runs in the caller's thread, bounded by the builder's timeout per step ({@code build.timeout}). One verification
 * per release at a time in this process: a second one while the first runs is refused. Thread-safe.
 */
public final class BuildVerifier {
    private static final Logger log = LoggerFactory.getLogger(BuildVerifier.class);
    private static final int LOG_TAIL = 4096;

    private final BuildService builds;
    private final ProjectCatalog catalog;
    private final BlobStore blobs;
    private final Path workRoot;
    private final Clock clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    /** @param workRoot where each verification gets its own temporary directory, deleted afterwards */
    public BuildVerifier(BuildService builds, ProjectCatalog catalog, BlobStore blobs, Path workRoot, Clock clock) {
        this.builds = Objects.requireNonNull(builds);
        this.catalog = Objects.requireNonNull(catalog);
        this.blobs = Objects.requireNonNull(blobs);
        this.workRoot = Objects.requireNonNull(workRoot);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Rebuilds the release and compares. An unknown release is a {@link BuildNotFoundException}; one that was
     * uploaded rather than built, whose build has not succeeded, whose git source is not known here, or that is being
     * verified already is a {@link VerifyRefusedException}. A rebuild that fails is reported (not thrown), with its
     * reason and the end of its log.
     */
    public Verification verify(ProjectName project, Version version) {
        String name = project.normalized();
        BuildRecord build = builds.find(project, version).orElseThrow(() -> notBuilt(project, version));
        if (build.status() != BuildRecord.Status.SUCCEEDED) {
            throw new VerifyRefusedException("The build of " + name + " " + build.version() + " "
                    + (build.status() == BuildRecord.Status.FAILED
                            ? "failed, so there are no built files to compare; retry it first."
                            : "has not finished yet; verify it once it has succeeded."));
        }
        BuildRequest request = builds.requestFor(build)
                .orElseThrow(() -> new VerifyRefusedException("The git source of " + name
                        + " is not known to this server (yet), so " + build.version() + " cannot be rebuilt now."));
        String release = name + " " + build.version();
        if (!running.add(release)) {
            throw new VerifyRefusedException(
                    "A verification of " + release + " is running already; wait for its" + " answer.");
        }
        try {
            return rebuildAndCompare(build, request);
        } finally {
            running.remove(release);
        }
    }

    private Verification rebuildAndCompare(BuildRecord build, BuildRequest request) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Path work = null;
        Map<String, String> rebuilt = new TreeMap<>();
        Optional<String> error = Optional.empty();
        Optional<String> logTail = Optional.empty();
        Optional<Instant> sourceDate = Optional.empty();
        log.info(
                "verifying {} {}: rebuilding tag {} ({})",
                build.project(),
                build.version(),
                build.tag(),
                build.commit());
        try {
            Files.createDirectories(workRoot);
            work = Files.createTempDirectory(workRoot, "verify-");
            Path logFile = work.resolve("verify.log");
            Files.writeString(
                    logFile,
                    "verification of " + build.project() + " " + build.version() + " from tag " + build.tag()
                            + " (commit " + build.commit() + "), started " + started + "\n",
                    StandardCharsets.UTF_8);
            try {
                BuildService.Produced produced = builds.produce(request, work, logFile, stage -> {}, environment -> {});
                sourceDate = Optional.of(produced.sourceDate());
                for (Path artifact : produced.artifacts()) {
                    rebuilt.put(artifact.getFileName().toString(), Sha256.hex(artifact));
                }
            } catch (WheelwrightException e) {
                error = Optional.of(e.getMessage());
                logTail = Optional.of(tail(logFile));
            }
        } catch (IOException e) {
            log.error("cannot prepare the verification of {} {}", build.project(), build.version(), e);
            error = Optional.of(
                    "The server cannot prepare the verification's directory; the server log has the" + " details.");
        } finally {
            if (work != null) {
                delete(work);
            }
        }
        List<Verification.FileCheck> files = compare(build, rebuilt, error.isEmpty());
        boolean reproducible = error.isEmpty() && files.stream().allMatch(Verification.FileCheck::identical);
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        log.info(
                "verified {} {} in {} ms: {}",
                build.project(),
                build.version(),
                ms,
                error.map(e -> "rebuild failed: " + e)
                        .orElse(reproducible ? "every file identical" : "files differ: " + differing(files)));
        return new Verification(
                build.project(),
                build.version(),
                build.tag(),
                build.commit(),
                sourceDate,
                reproducible,
                error,
                logTail,
                files,
                started,
                ms);
    }

    /** Every stored file of the release and every rebuilt file, by filename. */
    private List<Verification.FileCheck> compare(BuildRecord build, Map<String, String> rebuilt, boolean rebuiltAll) {
        ProjectName project = ProjectName.parse(build.project());
        Version version = Version.parse(build.version());
        Map<String, StoredFile> stored = new TreeMap<>();
        for (StoredFile f : catalog.files(project)) {
            if (f.version().normalized().equals(version.normalized())) {
                stored.put(f.filename(), f);
            }
        }
        Set<String> names = new TreeSet<>(stored.keySet());
        if (rebuiltAll) {
            names.addAll(rebuilt.keySet());
        }
        List<Verification.FileCheck> files = new ArrayList<>();
        for (String filename : names) {
            Optional<StoredFile> file = Optional.ofNullable(stored.get(filename));
            files.add(Verification.FileCheck.of(
                    filename,
                    file.flatMap(this::storedSha256),
                    file.map(StoredFile::sha256),
                    Optional.ofNullable(rebuilt.get(filename))));
        }
        return files;
    }

    /** The sha256 of the bytes the blob store holds for {@code file}; empty when its blob is gone. */
    private Optional<String> storedSha256(StoredFile file) {
        Optional<InputStream> opened = blobs.open(file.blob());
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = opened.get()) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StorageException("cannot read the stored " + file.filename(), e);
        }
        return Optional.of(Sha256.hex(digest));
    }

    private static String differing(List<Verification.FileCheck> files) {
        return String.join(
                ", ",
                files.stream()
                        .filter(f -> !f.identical())
                        .map(Verification.FileCheck::filename)
                        .toList());
    }

    /** A release with no build: uploaded (hosted) when the index has files of it, else unknown. */
    private WheelwrightException notBuilt(ProjectName project, Version version) {
        boolean hosted = catalog.files(project).stream()
                .anyMatch(f -> f.version().normalized().equals(version.normalized()));
        if (hosted) {
            return new VerifyRefusedException(project.normalized() + " " + version.normalized()
                    + " was uploaded, not built from a git tag, so there is nothing to rebuild it from.");
        }
        return new BuildNotFoundException(
                "No build of " + project.normalized() + " " + version.normalized() + " is known.");
    }

    private static String tail(Path logFile) {
        try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
            channel.position(Math.max(0, channel.size() - LOG_TAIL));
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void delete(Path work) {
        try {
            FileTrees.delete(work);
        } catch (IOException e) {
            log.warn("cannot delete the verification directory {}: {}", work, e.getMessage());
        }
    }
}

package dev.wheelwright.upload;

import dev.wheelwright.auth.NotAllowedException;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.python.CoreMetadata;
import dev.wheelwright.python.DistributionFilename;
import dev.wheelwright.python.InvalidDistributionException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.python.WheelFilename;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.PackageType;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an uploaded file into a stored distribution: checks the uploader's rights, the filename (its spelling too,
 * for twine uploads), the digests the client sent, and the file's own metadata ({@link DistributionRules}, #14)
 * against the form; extracts the PEP 658 metadata; stores the bytes (content-addressed, atomically) and then the
 * record. A file whose name exists, or another file of the same distribution, is a no-op when the bytes are
 * identical and a {@link DuplicateFileException} otherwise. Uploads, imports and builds all pass here. Thread-safe.
 */
public final class UploadService {
    private static final Logger log = LoggerFactory.getLogger(UploadService.class);

    private final ProjectCatalog store;
    private final BlobStore blobs;
    private final Path tmpDir;
    private final long maxFileSize;
    private final Clock clock;
    private final UploadPolicy policy;
    /** Striped by normalized project name: bounded, whatever names uploaders send. */
    private final Object[] projectLocks = newLocks(64);

    public UploadService(ProjectCatalog store, BlobStore blobs, Path tmpDir, long maxFileSize, Clock clock) {
        this(store, blobs, tmpDir, maxFileSize, clock, UploadPolicy.OPEN);
    }

    /** @param policy consulted for every twine upload once the token's rights are checked (not for imports) */
    public UploadService(
            ProjectCatalog store, BlobStore blobs, Path tmpDir, long maxFileSize, Clock clock, UploadPolicy policy) {
        this.policy = Objects.requireNonNull(policy);
        this.store = Objects.requireNonNull(store);
        this.blobs = Objects.requireNonNull(blobs);
        this.tmpDir = Objects.requireNonNull(tmpDir);
        this.maxFileSize = maxFileSize;
        this.clock = Objects.requireNonNull(clock);
    }

    private static Object[] newLocks(int n) {
        Object[] locks = new Object[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new Object();
        }
        return locks;
    }

    /** Whether the upload created a file or found the identical file already there. */
    public enum Outcome {
        STORED,
        ALREADY_PRESENT
    }

    /** The result of an accepted upload. */
    public record Result(Outcome outcome, StoredFile file) {
        /** The stored file's name (for messages: the edge needs no storage record). */
        public String filename() {
            return file.filename();
        }

        /** The stored file's project, normalized (for notifications). */
        public String project() {
            return file.project().normalized();
        }

        /** The stored file's version, normalized (for notifications). */
        public String version() {
            return file.version().normalized();
        }

        /** The stored file's size in bytes (for metrics). */
        public long size() {
            return file.size();
        }
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    /** The directory uploads are spooled to; the HTTP edge spools the parts of a multipart body there too. */
    public Path spoolDir() {
        return tmpDir;
    }

    /** Spools an upload body to a temporary file, enforcing {@code upload.max-file-size}. */
    public ReceivedFile receive(String filename, InputStream in) {
        return DigestingSpool.spool(filename, in, tmpDir, maxFileSize);
    }

    /**
     * Validates and stores a received file for {@code principal}. {@code form} holds the twine form fields
     * (name → values). The received file is deleted before this returns.
     */
    public Result upload(Principal principal, Map<String, List<String>> form, ReceivedFile file) {
        try {
            if (!principal.has(Scope.UPLOAD)) {
                throw new NotAllowedException("The token '" + principal.name() + "' has no upload scope.");
            }
            checkAction(form);
            DistributionFilename filename = DistributionFilename.parse(file.filename());
            if (!principal.covers(filename.name().normalized())) {
                throw new NotAllowedException(
                        "The token '" + principal.name() + "' isn't allowed to upload to project '"
                                + filename.name().normalized() + "'.");
            }
            checkFiletype(form, filename);
            filename.nonCanonicalSpelling().ifPresent(reason -> {
                throw new UploadRejectedException(reason); // #14: new uploads use the PEP 427/625 spelling
            });
            checkDigests(form, file);
            policy.check(filename.name(), filename.version());
            return store(filename, file, form, principal.name());
        } finally {
            deleteQuietly(file.path());
        }
    }

    /** Imports a distribution file from disk as {@code uploadedBy} (the CLI's {@code import}); the file is kept. */
    public Result importFile(Path path, String uploadedBy) {
        DistributionFilename filename =
                DistributionFilename.parse(path.getFileName().toString());
        ReceivedFile copy;
        try (InputStream in = Files.newInputStream(path)) {
            copy = receive(filename.filename(), in);
        } catch (IOException e) {
            throw new InvalidDistributionException("cannot read " + filename.filename() + ": " + e.getMessage(), e);
        }
        try {
            return store(filename, copy, Map.of(), uploadedBy);
        } finally {
            deleteQuietly(copy.path());
        }
    }

    private Result store(DistributionFilename filename, ReceivedFile file, Map<String, List<String>> form, String by) {
        // One distribution per identity (#14): the check and the add happen under the project's lock, so two
        // spellings of one distribution racing in this process cannot both be added.
        Object lock = projectLocks[Math.floorMod(filename.name().normalized().hashCode(), projectLocks.length)];
        synchronized (lock) {
            return storeLocked(filename, file, form, by);
        }
    }

    private Result storeLocked(
            DistributionFilename filename, ReceivedFile file, Map<String, List<String>> form, String by) {
        Optional<StoredFile> existing = store.file(filename.name(), filename.filename());
        if (existing.isPresent()) {
            return sameOrConflict(existing.get(), file);
        }
        Optional<StoredFile> same = DistributionRules.sameDistribution(store.files(filename.name()), filename);
        if (same.isPresent()) {
            if (same.get().sha256().equals(file.sha256())) {
                return new Result(Outcome.ALREADY_PRESENT, same.get());
            }
            throw new DuplicateFileException(same.get().filename(), filename.filename());
        }
        DistributionRules.Checked checked = DistributionRules.check(file.path(), filename);
        CoreMetadata metadata = checked.metadata();
        byte[] metadataBytes = checked.metadataBytes();
        ProjectName metadataName = metadata.projectName();
        Version metadataVersion = metadata.parsedVersion();
        checkFormAgainstMetadata(form, metadataName, metadataVersion);

        BlobKey blob = BlobKey.forContent(file.sha256(), extension(filename));
        blobs.put(blob, file.path(), file.sha256());
        Optional<String> metadataSha = Optional.empty();
        Optional<BlobKey> metadataBlob = Optional.empty();
        if (filename instanceof WheelFilename) {
            String sha = Sha256.hex(metadataBytes);
            BlobKey key = BlobKey.forContent(sha, ".metadata");
            putBytes(key, metadataBytes, sha);
            metadataSha = Optional.of(sha);
            metadataBlob = Optional.of(key);
        }
        StoredFile record = new StoredFile(
                metadataName,
                metadataVersion,
                filename.filename(),
                filename instanceof WheelFilename ? PackageType.BDIST_WHEEL : PackageType.SDIST,
                file.size(),
                file.sha256(),
                blob,
                // UNKNOWN, the distutils placeholder, counts as absent (#14): never served as data-requires-python
                metadata.requiresPython().map(String::strip).filter(s -> !s.isEmpty() && !s.equals("UNKNOWN")),
                metadataSha,
                metadataBlob,
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                Optional.empty(),
                by);
        Optional<StoredFile> raced = store.addFile(
                record, metadataName.original(), metadata.summary().orElse(""));
        if (raced.isPresent()) {
            return sameOrConflict(raced.get(), file);
        }
        log.info("stored {} ({} bytes, sha256 {}) by {}", record.filename(), record.size(), record.sha256(), by);
        return new Result(Outcome.STORED, record);
    }

    private static Result sameOrConflict(StoredFile existing, ReceivedFile file) {
        if (existing.sha256().equals(file.sha256())) {
            return new Result(Outcome.ALREADY_PRESENT, existing);
        }
        throw new DuplicateFileException(existing.filename());
    }

    private static void checkAction(Map<String, List<String>> form) {
        first(form, ":action").ifPresent(action -> {
            if (!action.equals("file_upload")) {
                throw new UploadRejectedException("Unsupported :action '" + clip(action) + "' (only file_upload).");
            }
        });
        first(form, "protocol_version").ifPresent(v -> {
            if (!v.equals("1")) {
                throw new UploadRejectedException("Unknown protocol_version '" + clip(v) + "' (only 1).");
            }
        });
    }

    private static void checkFiletype(Map<String, List<String>> form, DistributionFilename filename) {
        first(form, "filetype").ifPresent(type -> {
            if (!type.equals(filename.packagetype())) {
                throw new UploadRejectedException("Invalid value for filetype: '" + clip(type) + "' does not match "
                        + filename.filename() + " (expected " + filename.packagetype() + ").");
            }
        });
    }

    private static void checkDigests(Map<String, List<String>> form, ReceivedFile file) {
        check(form, "sha256_digest", file.sha256());
        check(form, "md5_digest", file.md5());
        check(form, "blake2_256_digest", file.blake2b256());
    }

    private static void check(Map<String, List<String>> form, String field, String actual) {
        first(form, field).ifPresent(sent -> {
            if (!sent.strip().toLowerCase(Locale.ROOT).equals(actual)) {
                throw new UploadRejectedException(
                        "The digest supplied does not match a digest calculated from the uploaded file (" + field
                                + ").");
            }
        });
    }

    private static void checkFormAgainstMetadata(Map<String, List<String>> form, ProjectName name, Version version) {
        checkAgainstMetadata(form, "name", "Name", ProjectName::parse, name, name.original());
        checkAgainstMetadata(form, "version", "Version", Version::parse, version, version.toString());
    }

    /**
     * A form field that repeats a metadata field ({@code label} in the metadata's spelling): when sent, it must parse
     * and equal what the file's metadata says ({@code expected}, shown as {@code shown}).
     */
    private static <T> void checkAgainstMetadata(
            Map<String, List<String>> form,
            String field,
            String label,
            Function<String, T> parse,
            T expected,
            String shown) {
        first(form, field).ifPresent(sent -> {
            T parsed;
            try {
                parsed = parse.apply(sent);
            } catch (RuntimeException e) {
                throw new UploadRejectedException("'" + clip(sent) + "' is an invalid value for " + label + ".");
            }
            if (!parsed.equals(expected)) {
                throw new UploadRejectedException("The form field " + field + " '" + clip(sent)
                        + "' does not match the file's metadata " + field + " '" + shown + "'.");
            }
        });
    }

    private static Optional<String> first(Map<String, List<String>> form, String field) {
        List<String> values = form.get(field);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        String value = values.get(0);
        return value.isEmpty() || value.equals("UNKNOWN") ? Optional.empty() : Optional.of(value);
    }

    private static String clip(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }

    private static String extension(DistributionFilename filename) {
        String name = filename.filename();
        if (name.endsWith(".whl")) {
            return ".whl";
        }
        return name.endsWith(".zip") ? ".zip" : ".tar.gz";
    }

    private void putBytes(BlobKey key, byte[] bytes, String sha256) {
        Path temp = null;
        try {
            Files.createDirectories(tmpDir);
            temp = Files.createTempFile(tmpDir, "metadata-", ".part");
            Files.write(temp, bytes);
            blobs.put(key, temp, sha256);
        } catch (IOException e) {
            throw new StorageException("cannot write metadata " + key, e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("cannot delete temporary file {}: {}", path.getFileName(), e.getMessage());
        }
    }
}

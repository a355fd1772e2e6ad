package dev.wheelwright.upload;

import dev.wheelwright.auth.NotAllowedException;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.auth.Scope;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.errors.WheelwrightException;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
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

    /**
     * An imported file of at most this many bytes is read once into memory and stored from there (most wheels are
     * this small); a larger one is stored from its scratch copy. Per import thread, so the heap bounds the threads.
     */
    static final int IMPORT_FROM_MEMORY = 256 * 1024;

    private final ProjectCatalog store;
    private final BlobStore blobs;
    private final Path tmpDir;
    private final long maxFileSize;
    private final Clock clock;
    private final UploadPolicy policy;
    /** Striped by normalized project name: bounded, whatever names uploaders send. */
    private final ReentrantLock[] projectLocks = newLocks(64);

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

    private static ReentrantLock[] newLocks(int n) {
        ReentrantLock[] locks = new ReentrantLock[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new ReentrantLock();
        }
        return locks;
    }

    private int lockIndex(ProjectName project) {
        return Math.floorMod(project.normalized().hashCode(), projectLocks.length);
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
            return store(filename, file, form, principal.name(), Optional.empty());
        } finally {
            deleteQuietly(file.path());
        }
    }

    /** Imports a distribution file from disk as {@code uploadedBy} (the CLI's {@code import}); the file is kept. */
    public Result importFile(Path path, String uploadedBy) {
        DistributionFilename filename =
                DistributionFilename.parse(path.getFileName().toString());
        try (Scratch scratch = newScratch()) {
            DigestingSpool.Spooled copy = spoolCopy(path, filename, scratch);
            return store(filename, copy.file(), Map.of(), uploadedBy, copy.bytes());
        }
    }

    /**
     * A private file in the spool directory that one thread reuses for file after file of an import: the copy of the
     * file being imported, which is what is checked. Deleted on close.
     */
    record Scratch(Path copy) implements AutoCloseable {
        @Override
        public void close() {
            deleteQuietly(copy);
        }
    }

    /** New scratch files for one importing thread; the caller closes them. */
    Scratch newScratch() {
        try {
            Files.createDirectories(tmpDir);
            return new Scratch(Files.createTempFile(tmpDir, "import-", ".part"));
        } catch (IOException e) {
            throw new StorageException("cannot create a temporary import file", e);
        }
    }

    /**
     * A copy of a file to import, with its digest, and its bytes when it has at most {@link #IMPORT_FROM_MEMORY}: what
     * is checked is what is stored, whatever happens to the file.
     */
    private DigestingSpool.Spooled spoolCopy(Path path, DistributionFilename filename, Scratch scratch) {
        try (InputStream in = Files.newInputStream(path)) {
            return DigestingSpool.spoolForImport(
                    filename.filename(), in, scratch.copy(), maxFileSize, IMPORT_FROM_MEMORY);
        } catch (IOException e) {
            throw new InvalidDistributionException("cannot read " + filename.filename() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A file of a batched import ({@link ImportService}), once {@link #stageImport} has checked it: already recorded
     * ({@code present}), or checked with its bytes (and metadata) durable in the blob store and its record made but
     * not yet added to the catalog ({@code addition}).
     */
    record Staged(Path source, Optional<Result> present, Optional<Pending> addition) {}

    /** A record to add, with what it needs to be judged again when its batch is recorded. */
    record Pending(Path source, DistributionFilename filename, ProjectCatalog.NewFile addition) {}

    private Result store(
            DistributionFilename filename,
            ReceivedFile file,
            Map<String, List<String>> form,
            String by,
            Optional<byte[]> bytes) {
        // One distribution per identity (#14): the check and the add happen under the project's lock, so two
        // spellings of one distribution racing in this process cannot both be added.
        ReentrantLock lock = projectLocks[lockIndex(filename.name())];
        lock.lock();
        try {
            Optional<Result> present = recordedAlready(filename, file.sha256());
            if (present.isPresent()) {
                return present.get();
            }
            ProjectCatalog.NewFile addition = checkAndPutBlobs(filename, file, form, by, bytes);
            Optional<StoredFile> raced = store.addFile(addition.file(), addition.displayName(), addition.summary());
            return recorded(addition.file(), raced);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first half of importing {@code path} in a batch: reads and checks it as {@link #importFile} does and puts its
     * bytes in the blob store, where they are durable when this returns; the catalog is left to
     * {@link #recordImports}. Thread-safe; a refused file throws, as {@code importFile} does.
     */
    Staged stageImport(Path path, String uploadedBy, Scratch scratch) {
        DistributionFilename filename =
                DistributionFilename.parse(path.getFileName().toString());
        Optional<StoredFile> sameName = store.file(filename.name(), filename.filename());
        if (sameName.isPresent()) { // an import run again: its digest is all that is needed, no copy
            String sha256;
            try {
                sha256 = Sha256.hex(path);
            } catch (IOException e) {
                throw new InvalidDistributionException("cannot read " + filename.filename() + ": " + e.getMessage(), e);
            }
            return new Staged(path, Optional.of(sameOrConflict(sameName.get(), sha256)), Optional.empty());
        }
        DigestingSpool.Spooled copy = spoolCopy(path, filename, scratch);
        // the name was looked up above; another spelling of the distribution may be there (#14)
        Optional<Result> present = sameDistribution(
                store.files(filename.name()), filename, copy.file().sha256());
        if (present.isPresent()) {
            return new Staged(path, present, Optional.empty());
        }
        ProjectCatalog.NewFile addition = checkAndPutBlobs(filename, copy.file(), Map.of(), uploadedBy, copy.bytes());
        return new Staged(path, Optional.empty(), Optional.of(new Pending(path, filename, addition)));
    }

    /**
     * The second half of a batched import: judges the staged files again under their projects' locks (a file
     * recorded since it was staged, or earlier in this batch, is found the way {@link #importFile} would find it) and
     * records the rest in one catalog transaction. A failed transaction is retried one file at a time, so a file the
     * catalog refuses does not keep the others out. Each file's answer (a {@link Result} or the
     * {@link WheelwrightException} that refused it) goes to {@code accepted} or {@code refused}, on this thread.
     */
    void recordImports(
            List<Pending> batch,
            BiConsumer<Pending, Result> accepted,
            BiConsumer<Pending, WheelwrightException> refused) {
        List<ReentrantLock> locks = batch.stream()
                .map(p -> lockIndex(p.filename().name()))
                .distinct()
                .sorted() // one order for every batch: no two callers wait on each other's locks
                .map(i -> projectLocks[i])
                .toList();
        locks.forEach(ReentrantLock::lock);
        try {
            Map<String, List<StoredFile>> known = new HashMap<>();
            List<Pending> toAdd = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                List<StoredFile> files = known.computeIfAbsent(
                        p.filename().name().normalized(),
                        n -> new ArrayList<>(store.files(p.filename().name())));
                StoredFile record = p.addition().file();
                try {
                    Optional<StoredFile> sameName = files.stream()
                            .filter(f -> f.filename().equals(record.filename()))
                            .findFirst();
                    Optional<Result> present = sameName.isPresent()
                            ? Optional.of(sameOrConflict(sameName.get(), record.sha256()))
                            : sameDistribution(files, p.filename(), record.sha256());
                    if (present.isPresent()) {
                        accepted.accept(p, present.get());
                    } else {
                        files.add(record);
                        toAdd.add(p);
                    }
                } catch (WheelwrightException e) {
                    refused.accept(p, e);
                }
            }
            List<Optional<StoredFile>> raced;
            try {
                raced = store.addFiles(toAdd.stream().map(Pending::addition).toList());
            } catch (StorageException e) {
                log.warn(
                        "recording {} imported files at once failed ({}); recording them one by one",
                        toAdd.size(),
                        e.getMessage());
                for (Pending p : toAdd) {
                    try {
                        ProjectCatalog.NewFile a = p.addition();
                        accepted.accept(p, recorded(a.file(), store.addFile(a.file(), a.displayName(), a.summary())));
                    } catch (WheelwrightException failure) {
                        refused.accept(p, failure);
                    }
                }
                return;
            }
            for (int i = 0; i < toAdd.size(); i++) {
                Pending p = toAdd.get(i);
                try {
                    accepted.accept(p, recorded(p.addition().file(), raced.get(i)));
                } catch (WheelwrightException e) {
                    refused.accept(p, e);
                }
            }
        } finally {
            locks.forEach(ReentrantLock::unlock);
        }
    }

    /**
     * The answer when {@code filename}, or another spelling of its distribution (#14), is recorded already: the
     * record when its bytes are these, a {@link DuplicateFileException} otherwise; empty when neither is there.
     */
    private Optional<Result> recordedAlready(DistributionFilename filename, String sha256) {
        Optional<StoredFile> existing = store.file(filename.name(), filename.filename());
        if (existing.isPresent()) {
            return Optional.of(sameOrConflict(existing.get(), sha256));
        }
        return sameDistribution(store.files(filename.name()), filename, sha256);
    }

    private static Optional<Result> sameDistribution(
            List<StoredFile> files, DistributionFilename filename, String sha256) {
        Optional<StoredFile> same = DistributionRules.sameDistribution(files, filename);
        if (same.isPresent()) {
            if (same.get().sha256().equals(sha256)) {
                return Optional.of(new Result(Outcome.ALREADY_PRESENT, same.get()));
            }
            throw new DuplicateFileException(same.get().filename(), filename.filename());
        }
        return Optional.empty();
    }

    /**
     * Checks the file's metadata (against the form too), then puts its bytes ({@code bytes} when the caller has them
     * in memory, else the file's) and, for a wheel, its metadata in the blob store: both are durable when this
     * returns. Returns the record to add.
     */
    private ProjectCatalog.NewFile checkAndPutBlobs(
            DistributionFilename filename,
            ReceivedFile file,
            Map<String, List<String>> form,
            String by,
            Optional<byte[]> bytes) {
        DistributionRules.Checked checked = DistributionRules.check(file.path(), filename);
        CoreMetadata metadata = checked.metadata();
        byte[] metadataBytes = checked.metadataBytes();
        ProjectName metadataName = metadata.projectName();
        Version metadataVersion = metadata.parsedVersion();
        checkFormAgainstMetadata(form, metadataName, metadataVersion);

        BlobKey blob = BlobKey.forContent(file.sha256(), extension(filename));
        if (bytes.isPresent()) {
            blobs.put(blob, bytes.get(), file.sha256());
        } else {
            blobs.put(blob, file.path(), file.sha256());
        }
        Optional<String> metadataSha = Optional.empty();
        Optional<BlobKey> metadataBlob = Optional.empty();
        if (filename instanceof WheelFilename) {
            String sha = Sha256.hex(metadataBytes);
            BlobKey key = BlobKey.forContent(sha, ".metadata");
            blobs.put(key, metadataBytes, sha);
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
        return new ProjectCatalog.NewFile(
                record, metadataName.original(), metadata.summary().orElse(""));
    }

    /** The result of adding {@code record}: stored, or ({@code raced}) what a concurrent writer recorded first. */
    private static Result recorded(StoredFile record, Optional<StoredFile> raced) {
        if (raced.isPresent()) {
            return sameOrConflict(raced.get(), record.sha256());
        }
        log.info(
                "stored {} ({} bytes, sha256 {}) by {}",
                record.filename(),
                record.size(),
                record.sha256(),
                record.uploadedBy());
        return new Result(Outcome.STORED, record);
    }

    private static Result sameOrConflict(StoredFile existing, String sha256) {
        if (existing.sha256().equals(sha256)) {
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
        check(form, "md5_digest", file.md5().orElseThrow());
        check(form, "blake2_256_digest", file.blake2b256().orElseThrow());
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

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("cannot delete temporary file {}: {}", path.getFileName(), e.getMessage());
        }
    }
}

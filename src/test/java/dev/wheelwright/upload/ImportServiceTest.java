package dev.wheelwright.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.InMemoryBlobStore;
import dev.wheelwright.storage.InMemoryProjectCatalog;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.ProjectRecord;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.storage.fs.FileSystemBlobStore;
import dev.wheelwright.storage.jdbc.JdbcStorage;
import dev.wheelwright.testing.Wheels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched imports (#12): files are checked and their bytes made durable before a batch records them in one
 * transaction; a refused file is reported and keeps no other out; an import cut short completes when run again.
 */
class ImportServiceTest {
    @TempDir
    Path dir;

    /** What the listener heard, by filename. */
    private static final class Outcomes implements ImportService.Listener {
        final Map<String, UploadService.Outcome> accepted = new ConcurrentHashMap<>();
        final Map<String, WheelwrightException> refused = new ConcurrentHashMap<>();

        @Override
        public void accepted(Path file, UploadService.Result result) {
            accepted.put(file.getFileName().toString(), result.outcome());
        }

        @Override
        public void refused(Path file, WheelwrightException reason) {
            refused.put(file.getFileName().toString(), reason);
        }

        long count(UploadService.Outcome outcome) {
            return accepted.values().stream().filter(o -> o == outcome).count();
        }
    }

    private List<Path> wheels(int count) throws IOException {
        Path dists = Files.createDirectories(dir.resolve("dists"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(Wheels.simple(dists, "batch-" + (i / 3), "1." + (i % 3), "2.1"));
        }
        return files;
    }

    private UploadService uploads(ProjectCatalog catalog, BlobStore blobs) {
        return new UploadService(catalog, blobs, dir.resolve("spool"), 1 << 24, Clock.systemUTC());
    }

    private static Outcomes run(ImportService imports, List<Path> files) throws InterruptedException {
        Outcomes outcomes = new Outcomes();
        imports.importFiles(files, "import", outcomes);
        return outcomes;
    }

    @Test
    void stores_every_file_and_finds_them_all_present_the_second_time() throws Exception {
        List<Path> files = wheels(40);
        InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();
        ImportService imports = new ImportService(uploads(catalog, new InMemoryBlobStore()), 4, 8);

        Outcomes first = run(imports, files);
        Outcomes second = run(imports, files);

        assertThat(first.count(UploadService.Outcome.STORED)).isEqualTo(40);
        assertThat(first.refused).isEmpty();
        assertThat(catalog.projects()).hasSize(14);
        assertThat(catalog.files(ProjectName.parse("batch-0"))).hasSize(3);
        assertThat(second.count(UploadService.Outcome.ALREADY_PRESENT)).isEqualTo(40);
        assertThat(second.refused).isEmpty();
    }

    @Test
    void records_no_file_before_its_bytes_and_metadata_are_in_the_blob_store() throws Exception {
        List<Path> files = wheels(30);
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        List<String> recordedWithoutBlob = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        InMemoryProjectCatalog catalog = new InMemoryProjectCatalog() {
            @Override
            public synchronized List<Optional<StoredFile>> addFiles(List<NewFile> added) {
                batches.incrementAndGet();
                for (NewFile f : added) {
                    if (!blobs.exists(f.file().blob())
                            || !blobs.exists(f.file().metadataBlob().orElseThrow())) {
                        recordedWithoutBlob.add(f.file().filename());
                    }
                }
                return super.addFiles(added);
            }
        };

        Outcomes outcomes = run(new ImportService(uploads(catalog, blobs), 4, 10), files);

        assertThat(outcomes.count(UploadService.Outcome.STORED)).isEqualTo(30);
        assertThat(recordedWithoutBlob).isEmpty();
        assertThat(batches.get()).as("catalog transactions for 30 files").isBetween(3, 30);
    }

    @Test
    void a_refused_file_in_the_middle_is_reported_and_the_others_are_stored() throws Exception {
        List<Path> files = new ArrayList<>(wheels(9));
        Path broken = files.get(4).resolveSibling("broken-1.0-py3-none-any.whl");
        Files.writeString(broken, "not a zip");
        files.add(4, broken);
        InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();

        Outcomes outcomes = run(new ImportService(uploads(catalog, new InMemoryBlobStore()), 2, 100), files);

        assertThat(outcomes.refused).containsOnlyKeys("broken-1.0-py3-none-any.whl");
        assertThat(outcomes.count(UploadService.Outcome.STORED)).isEqualTo(9);
        assertThat(catalog.project(ProjectName.parse("broken"))).isEmpty();
    }

    @Test
    void a_file_the_catalog_refuses_is_reported_and_the_rest_of_its_batch_is_stored() throws Exception {
        List<Path> files = wheels(12);
        String bad = files.get(5).getFileName().toString();
        InMemoryProjectCatalog catalog = new InMemoryProjectCatalog() {
            @Override
            public synchronized List<Optional<StoredFile>> addFiles(List<NewFile> added) {
                if (added.stream().anyMatch(f -> f.file().filename().equals(bad))) {
                    throw new StorageException("the batch holding " + bad + " cannot be written");
                }
                return super.addFiles(added);
            }

            @Override
            public synchronized Optional<StoredFile> addFile(StoredFile file, String displayName, String summary) {
                if (file.filename().equals(bad)) {
                    throw new StorageException("cannot record " + bad);
                }
                return super.addFile(file, displayName, summary);
            }
        };

        Outcomes outcomes = run(new ImportService(uploads(catalog, new InMemoryBlobStore()), 2, 100), files);

        assertThat(outcomes.refused).containsOnlyKeys(bad);
        assertThat(outcomes.refused.get(bad)).hasMessage("cannot record " + bad);
        assertThat(outcomes.count(UploadService.Outcome.STORED)).isEqualTo(11);
        assertThat(catalog.file(ProjectName.parse("batch-1"), bad)).isEmpty();
    }

    @Test
    void two_spellings_of_one_distribution_in_one_import_are_judged_as_one_after_the_other() throws Exception {
        // #14 across a batch: the second spelling is found whether or not the first is recorded yet
        Path dists = Files.createDirectories(dir.resolve("spellings"));
        Path first = Wheels.wheel(
                dists,
                "acme_core-1.0-py3-none-any.whl",
                "acme_core-1.0.dist-info",
                "acme_core",
                "1.0",
                Wheels.metadata("2.1", "acme-core", "1.0", ""));
        Path other = Wheels.wheel(
                dists,
                "ACME_Core-1.0-py3-none-any.whl",
                "ACME_Core-1.0.dist-info",
                "acme_core",
                "1.0",
                Wheels.metadata("2.1", "ACME_Core", "1.0", "Summary: other bytes\n"));
        InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();

        Outcomes outcomes =
                run(new ImportService(uploads(catalog, new InMemoryBlobStore()), 2, 100), List.of(first, other));

        assertThat(catalog.files(ProjectName.parse("acme-core"))).hasSize(1);
        assertThat(outcomes.accepted).hasSize(1);
        assertThat(outcomes.refused).hasSize(1);
        assertThat(outcomes.refused.values().iterator().next()).isInstanceOf(DuplicateFileException.class);
    }

    @Test
    void an_import_cut_short_leaves_no_row_without_its_blob_and_completes_when_run_again() throws Exception {
        List<Path> files = wheels(60);
        Path data = Files.createDirectories(dir.resolve("data"));
        FileSystemBlobStore blobs = new FileSystemBlobStore(data.resolve("blobs"));
        try (JdbcStorage storage = JdbcStorage.openSqlite(data.resolve("wheelwright.db"))) {
            AtomicInteger batches = new AtomicInteger();
            // the catalog fails from its second batch on, as if the process died there: what was staged since has its
            // bytes in the blob store and no row
            ProjectCatalog failing = new FailingAfterFirstBatch(storage.catalog(), batches);

            Outcomes cut = run(new ImportService(uploads(failing, blobs), 4, 10), files);
            List<StoredFile> recorded = allFiles(storage.catalog());

            assertThat(cut.count(UploadService.Outcome.STORED)).isPositive().isLessThan(60);
            assertThat(recorded).hasSize((int) cut.count(UploadService.Outcome.STORED));
            for (StoredFile f : recorded) {
                assertThat(blobs.exists(f.blob())).as("blob of " + f.filename()).isTrue();
                assertThat(blobs.exists(f.metadataBlob().orElseThrow()))
                        .as("metadata of " + f.filename())
                        .isTrue();
            }

            Outcomes again = run(new ImportService(uploads(storage.catalog(), blobs), 4, 10), files);

            assertThat(again.refused).isEmpty();
            assertThat(again.count(UploadService.Outcome.STORED))
                    .isEqualTo(60 - cut.count(UploadService.Outcome.STORED));
            assertThat(again.count(UploadService.Outcome.ALREADY_PRESENT))
                    .isEqualTo(cut.count(UploadService.Outcome.STORED));
            assertThat(allFiles(storage.catalog())).hasSize(60);
            assertThat(allFiles(storage.catalog())).allMatch(f -> blobs.exists(f.blob()));
        }
        try (Stream<Path> left = Files.list(dir.resolve("spool"))) {
            assertThat(left).as("scratch files left in the spool").isEmpty();
        }
    }

    @Test
    void files_below_and_above_the_in_memory_size_are_stored_byte_for_byte_with_their_metadata() throws Exception {
        Path dists = Files.createDirectories(dir.resolve("sizes"));
        Path small = Wheels.simple(dists, "small", "1.0", "2.1");
        Path large = Wheels.large(dists, "large", "1.0", UploadService.IMPORT_FROM_MEMORY + 4096);
        assertThat(Files.size(large)).isGreaterThan(UploadService.IMPORT_FROM_MEMORY);
        FileSystemBlobStore blobs = new FileSystemBlobStore(dir.resolve("blobs"));
        InMemoryProjectCatalog catalog = new InMemoryProjectCatalog();

        Outcomes outcomes = run(new ImportService(uploads(catalog, blobs), 2, 10), List.of(small, large));

        assertThat(outcomes.refused).isEmpty();
        for (Path source : List.of(small, large)) {
            String filename = source.getFileName().toString();
            StoredFile stored = allFiles(catalog).stream()
                    .filter(f -> f.filename().equals(filename))
                    .findFirst()
                    .orElseThrow();
            assertThat(stored.size()).isEqualTo(Files.size(source));
            assertThat(blobs.localFile(stored.blob()).orElseThrow()).hasSameBinaryContentAs(source);
            assertThat(new String(
                            Files.readAllBytes(
                                    blobs.localFile(stored.metadataBlob().orElseThrow())
                                            .orElseThrow()),
                            java.nio.charset.StandardCharsets.UTF_8))
                    .contains("Version: 1.0");
        }
    }

    private static List<StoredFile> allFiles(ProjectCatalog catalog) {
        return catalog.projects().stream()
                .map(ProjectRecord::name)
                .flatMap(p -> catalog.files(p).stream())
                .toList();
    }

    /** A catalog whose writes fail once one batch has been recorded. */
    private static final class FailingAfterFirstBatch implements ProjectCatalog {
        private final ProjectCatalog real;
        private final AtomicInteger batches;

        FailingAfterFirstBatch(ProjectCatalog real, AtomicInteger batches) {
            this.real = real;
            this.batches = batches;
        }

        @Override
        public List<Optional<StoredFile>> addFiles(List<NewFile> files) {
            if (batches.getAndIncrement() > 0) {
                throw new StorageException("the disk went away");
            }
            return real.addFiles(files);
        }

        @Override
        public Optional<StoredFile> addFile(StoredFile file, String displayName, String summary) {
            if (batches.get() > 0) {
                throw new StorageException("the disk went away");
            }
            return real.addFile(file, displayName, summary);
        }

        @Override
        public List<ProjectRecord> projects() {
            return real.projects();
        }

        @Override
        public Optional<ProjectRecord> project(ProjectName name) {
            return real.project(name);
        }

        @Override
        public List<StoredFile> files(ProjectName project) {
            return real.files(project);
        }

        @Override
        public List<StoredFile> recentFiles(int limit) {
            return real.recentFiles(limit);
        }

        @Override
        public Optional<StoredFile> file(ProjectName project, String filename) {
            return real.file(project, filename);
        }

        @Override
        public boolean setYanked(ProjectName project, String filename, Optional<String> reason) {
            return real.setYanked(project, filename, reason);
        }

        @Override
        public boolean referencesBlob(BlobKey key) {
            return real.referencesBlob(key);
        }

        @Override
        public long changeStamp() {
            return real.changeStamp();
        }
    }
}

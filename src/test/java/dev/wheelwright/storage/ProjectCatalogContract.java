package dev.wheelwright.storage;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.concurrently;
import static dev.wheelwright.storage.StorageFixtures.micros;
import static dev.wheelwright.storage.StorageFixtures.name;
import static dev.wheelwright.storage.StorageFixtures.sdist;
import static dev.wheelwright.storage.StorageFixtures.stored;
import static dev.wheelwright.storage.StorageFixtures.version;
import static dev.wheelwright.storage.StorageFixtures.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ProjectCatalog} must do. A backend's test class only says how to build one. */
public abstract class ProjectCatalogContract {
    protected ProjectCatalog store;

    /** A new, empty catalog; the backend's test closes what it opened, after each test. */
    protected abstract ProjectCatalog newCatalog() throws Exception;

    @BeforeEach
    void createCatalog() throws Exception {
        store = newCatalog();
    }

    @Test
    void adding_a_file_creates_its_project_and_lists_the_file() {
        StoredFile wheel = wheel("demo", "1.0", T0);

        Optional<StoredFile> existing = store.addFile(wheel, "Demo", "A demo");

        assertThat(existing).isEmpty();
        assertThat(store.project(name("demo")))
                .contains(new ProjectRecord(name("demo"), "Demo", "A demo", micros(T0), 1));
        assertThat(store.projects()).extracting(p -> p.name().normalized()).containsExactly("demo");
        assertThat(store.files(name("demo"))).containsExactly(stored(wheel));
        assertThat(store.file(name("demo"), wheel.filename())).contains(stored(wheel));
    }

    @Test
    void adding_files_together_records_each_as_adding_them_one_by_one_would() {
        StoredFile first = wheel("demo", "1.0", T0);
        StoredFile second = sdist("demo", "1.0", T0.plusSeconds(1));
        StoredFile other = wheel("other", "2.0", T0.plusSeconds(2));
        store.addFile(first, "Demo", "first");
        StoredFile sameNameAsFirst = wheel("demo", "1.0", T0.plusSeconds(3));

        List<Optional<StoredFile>> answers = store.addFiles(List.of(
                new ProjectCatalog.NewFile(second, "DEMO", "second"),
                new ProjectCatalog.NewFile(other, "Other", ""),
                new ProjectCatalog.NewFile(sameNameAsFirst, "Demo", "third"),
                new ProjectCatalog.NewFile(other, "Other", "again")));

        assertThat(answers)
                .containsExactly(
                        Optional.empty(), Optional.empty(), Optional.of(stored(first)), Optional.of(stored(other)));
        assertThat(store.files(name("demo"))).containsExactly(stored(first), stored(second));
        assertThat(store.files(name("other"))).containsExactly(stored(other));
        assertThat(store.project(name("demo")))
                .contains(new ProjectRecord(name("demo"), "DEMO", "second", micros(T0), 2));
        assertThat(store.project(name("other")))
                .contains(new ProjectRecord(name("other"), "Other", "", micros(T0.plusSeconds(2)), 1));
    }

    @Test
    void adding_no_files_changes_nothing() {
        long before = store.changeStamp();

        assertThat(store.addFiles(List.of())).isEmpty();
        assertThat(store.changeStamp()).isEqualTo(before);
    }

    @Test
    void recent_files_are_the_newest_of_the_whole_index_newest_first() {
        StoredFile a = wheel("alpha", "1.0", T0);
        StoredFile b = wheel("beta", "2.0", T0.plusSeconds(10));
        StoredFile c = sdist("alpha", "1.1", T0.plusSeconds(20));
        store.addFile(a, "alpha", "");
        store.addFile(b, "beta", "");
        store.addFile(c, "alpha", "");

        assertThat(store.recentFiles(2)).containsExactly(stored(c), stored(b));
        assertThat(store.recentFiles(10)).hasSize(3);
    }

    @Test
    void a_duplicate_filename_returns_the_existing_record_and_changes_nothing() {
        StoredFile first = wheel("demo", "1.0", T0);
        store.addFile(first, "Demo", "first");
        StoredFile other = new StoredFile(
                name("demo"),
                version("1.0"),
                first.filename(),
                PackageType.BDIST_WHEEL,
                99,
                "ff".repeat(32),
                BlobKey.of("other/blob.whl"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                T0.plusSeconds(60),
                Optional.empty(),
                "someone-else");

        Optional<StoredFile> existing = store.addFile(other, "DEMO", "second");

        assertThat(existing).contains(stored(first));
        assertThat(store.files(name("demo"))).containsExactly(stored(first));
        assertThat(store.project(name("demo")))
                .contains(new ProjectRecord(name("demo"), "Demo", "first", micros(T0), 1));
        assertThat(store.referencesBlob(BlobKey.of("other/blob.whl"))).isFalse();
    }

    @Test
    void filenames_are_unique_across_projects() {
        StoredFile first = wheel("demo", "1.0", T0);
        store.addFile(first, "Demo", "");
        StoredFile sameNameElsewhere = new StoredFile(
                name("other"),
                version("1.0"),
                first.filename(),
                PackageType.BDIST_WHEEL,
                1,
                "00".repeat(32),
                BlobKey.of("b/other.whl"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                T0,
                Optional.empty(),
                "ci");

        assertThat(store.addFile(sameNameElsewhere, "Other", "")).contains(stored(first));
        assertThat(store.project(name("other"))).isEmpty();
    }

    @Test
    void a_later_file_updates_display_name_and_summary_but_not_created() {
        store.addFile(wheel("demo", "1.0", T0), "demo", "old summary");

        store.addFile(wheel("demo", "2.0", T0.plusSeconds(3600)), "Demo", "new summary");

        assertThat(store.project(name("demo")))
                .contains(new ProjectRecord(name("demo"), "Demo", "new summary", micros(T0), 2));
    }

    @Test
    void the_revision_grows_on_every_add_and_yank() {
        store.addFile(wheel("demo", "1.0", T0), "Demo", "");
        long afterFirst = revision("demo");
        store.addFile(sdist("demo", "1.0", T0), "Demo", "");
        long afterSecond = revision("demo");
        store.setYanked(name("demo"), "demo-1.0.tar.gz", Optional.of("broken"));
        long afterYank = revision("demo");
        store.setYanked(name("demo"), "demo-1.0.tar.gz", Optional.empty());
        long afterUnyank = revision("demo");

        assertThat(List.of(afterFirst, afterSecond, afterYank, afterUnyank))
                .isSorted()
                .doesNotHaveDuplicates();
    }

    @Test
    void the_change_stamp_moves_on_every_write_and_stays_while_only_read() {
        long empty = store.changeStamp();
        store.projects();
        store.project(name("demo"));
        assertThat(store.changeStamp()).isEqualTo(empty);

        store.addFile(wheel("demo", "1.0", T0), "Demo", "");
        long afterAdd = store.changeStamp();
        store.files(name("demo"));
        assertThat(store.changeStamp()).isEqualTo(afterAdd);
        store.setYanked(name("demo"), wheel("demo", "1.0", T0).filename(), Optional.of("broken"));
        long afterYank = store.changeStamp();

        assertThat(List.of(empty, afterAdd, afterYank)).doesNotHaveDuplicates();
    }

    @Test
    void adding_a_file_to_one_project_leaves_the_others_alone() {
        store.addFile(wheel("alpha", "1.0", T0), "alpha", "");
        store.addFile(wheel("beta", "1.0", T0), "beta", "");

        store.addFile(wheel("beta", "2.0", T0), "beta", "");

        assertThat(revision("alpha")).isEqualTo(1);
        assertThat(store.files(name("alpha"))).hasSize(1);
        assertThat(store.files(name("beta"))).hasSize(2);
    }

    @Test
    void lists_projects_by_name() {
        for (String name : List.of("zope-interface", "attrs", "django", "a-b")) {
            store.addFile(wheel(name, "1.0", T0), name, "");
        }

        assertThat(store.projects())
                .extracting(p -> p.name().normalized())
                .containsExactly("a-b", "attrs", "django", "zope-interface");
    }

    @Test
    void lists_files_by_upload_time_then_filename() {
        StoredFile late = wheel("demo", "0.9", T0.plusSeconds(10));
        StoredFile earlyB = sdist("demo", "1.0", T0);
        StoredFile earlyA = wheel("demo", "1.0", T0);
        StoredFile middle = wheel("demo", "2.0", T0.plusNanos(1000));
        for (StoredFile f : List.of(late, earlyB, earlyA, middle)) {
            store.addFile(f, "demo", "");
        }

        assertThat(store.files(name("demo")))
                .extracting(StoredFile::filename)
                .containsExactly(earlyA.filename(), earlyB.filename(), middle.filename(), late.filename());
    }

    @Test
    void an_unknown_project_has_no_record_and_no_files() {
        store.addFile(wheel("demo", "1.0", T0), "demo", "");

        assertThat(store.project(name("nope"))).isEmpty();
        assertThat(store.files(name("nope"))).isEmpty();
        assertThat(store.file(name("nope"), "demo-1.0-py3-none-any.whl")).isEmpty();
        assertThat(store.file(name("demo"), "demo-9.9-py3-none-any.whl")).isEmpty();
    }

    @Test
    void absent_optional_fields_round_trip_as_empty() {
        StoredFile bare = new StoredFile(
                name("demo"),
                version("1.0"),
                "demo-1.0.tar.gz",
                PackageType.SDIST,
                0,
                "00".repeat(32),
                BlobKey.of("b/demo-1.0.tar.gz"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                T0,
                Optional.empty(),
                "ci");

        store.addFile(bare, "demo", "");

        assertThat(store.file(name("demo"), "demo-1.0.tar.gz")).contains(stored(bare));
    }

    @Test
    void present_optional_fields_round_trip_including_a_yank_given_at_import() {
        StoredFile full = new StoredFile(
                name("demo"),
                version("1.0"),
                "demo-1.0-py3-none-any.whl",
                PackageType.BDIST_WHEEL,
                Long.MAX_VALUE,
                "ab".repeat(32),
                BlobKey.of("b/demo.whl"),
                Optional.of(">=3.8, <4"),
                Optional.of("cd".repeat(32)),
                Optional.of(BlobKey.of("b/demo.whl.metadata")),
                Instant.parse("1999-12-31T23:59:59.999999999Z"),
                Optional.of("bad build"),
                "import: pypi");

        store.addFile(full, "Demo", "Ünïcode summary ✓");

        assertThat(store.file(name("demo"), full.filename())).contains(stored(full));
        assertThat(store.project(name("demo"))).map(ProjectRecord::summary).contains("Ünïcode summary ✓");
    }

    @Test
    void upload_times_keep_microseconds() {
        StoredFile wheel = wheel("demo", "1.0", T0);

        store.addFile(wheel, "demo", "");

        assertThat(store.file(name("demo"), wheel.filename()).orElseThrow().uploadTime())
                .isEqualTo(Instant.parse("2025-03-01T12:00:00.123456Z"));
    }

    @Test
    void yanking_sets_and_clears_the_reason() {
        StoredFile wheel = wheel("demo", "1.0", T0);
        store.addFile(wheel, "demo", "");

        assertThat(store.setYanked(name("demo"), wheel.filename(), Optional.of("CVE-2025-1")))
                .isTrue();
        assertThat(yankOf(wheel)).contains("CVE-2025-1");

        assertThat(store.setYanked(name("demo"), wheel.filename(), Optional.of("")))
                .isTrue();
        assertThat(yankOf(wheel)).contains("");

        assertThat(store.setYanked(name("demo"), wheel.filename(), Optional.empty()))
                .isTrue();
        assertThat(yankOf(wheel)).isEmpty();
    }

    @Test
    void yanking_an_unknown_file_is_false_and_changes_nothing() {
        StoredFile wheel = wheel("demo", "1.0", T0);
        store.addFile(wheel, "demo", "");

        assertThat(store.setYanked(name("demo"), "demo-9.9.tar.gz", Optional.of("x")))
                .isFalse();
        assertThat(store.setYanked(name("other"), wheel.filename(), Optional.of("x")))
                .isFalse();
        assertThat(revision("demo")).isEqualTo(1);
        assertThat(yankOf(wheel)).isEmpty();
    }

    @Test
    void references_a_blob_as_file_or_as_metadata() {
        StoredFile wheel = wheel("demo", "1.0", T0);
        store.addFile(wheel, "demo", "");

        assertThat(store.referencesBlob(wheel.blob())).isTrue();
        assertThat(store.referencesBlob(wheel.metadataBlob().orElseThrow())).isTrue();
        assertThat(store.referencesBlob(BlobKey.of("b/unrelated.whl"))).isFalse();
    }

    @Test
    void concurrent_adds_of_the_same_filename_record_it_exactly_once() throws Exception {
        StoredFile wheel = wheel("demo", "1.0", T0);

        List<Optional<StoredFile>> results = concurrently(8, i -> store.addFile(wheel, "demo", "thread " + i));

        assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(results)
                .filteredOn(Optional::isPresent)
                .allSatisfy(r -> assertThat(r).contains(stored(wheel)));
        assertThat(store.files(name("demo"))).containsExactly(stored(wheel));
        assertThat(revision("demo")).isEqualTo(1);
    }

    @Test
    void concurrent_adds_of_different_files_are_all_recorded_and_counted() throws Exception {
        List<Optional<StoredFile>> results =
                concurrently(8, i -> store.addFile(wheel("demo", "1." + i, T0), "demo", ""));

        assertThat(results).allSatisfy(r -> assertThat(r).isEmpty());
        assertThat(store.files(name("demo"))).hasSize(8);
        assertThat(revision("demo")).isEqualTo(8);
    }

    @Test
    void a_project_is_found_by_any_spelling_of_its_name_and_comes_back_normalized() {
        StoredFile wheel = wheel("Demo_Pkg", "1.0", T0);

        store.addFile(wheel, "Demo_Pkg", "");

        assertThat(store.project(name("DEMO.pkg")).orElseThrow().name().original())
                .isEqualTo("demo-pkg");
        assertThat(store.files(name("demo-pkg")))
                .singleElement()
                .satisfies(f -> assertThat(f.project().original()).isEqualTo("demo-pkg"));
        assertThat(store.file(name("demo_pkg"), wheel.filename())).isPresent();
        assertThat(store.setYanked(name("Demo-Pkg"), wheel.filename(), Optional.of("x")))
                .isTrue();
        assertThat(store.projects()).extracting(p -> p.name().original()).containsExactly("demo-pkg");
    }

    @Test
    void package_types_and_versions_round_trip() {
        StoredFile wheel = wheel("demo", "1.0.0.post1", T0);
        StoredFile sdist = sdist("demo", "2.0RC1.dev3+Local-7", T0.plusSeconds(1));

        store.addFile(wheel, "demo", "");
        store.addFile(sdist, "demo", "");

        assertThat(store.files(name("demo")))
                .extracting(f -> f.packagetype() + " " + f.version().normalized() + " " + f.isWheel())
                .containsExactly("BDIST_WHEEL 1.0.0.post1 true", "SDIST 2.0rc1.dev3+local.7 false");
    }

    protected final long revision(String project) {
        return store.project(name(project)).orElseThrow().revision();
    }

    private Optional<String> yankOf(StoredFile f) {
        return store.file(f.project(), f.filename()).orElseThrow().yankedReason();
    }
}

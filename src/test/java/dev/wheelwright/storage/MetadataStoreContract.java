package dev.wheelwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.errors.WheelwrightException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link MetadataStore} must do. A backend's test class only says how to build one. */
public abstract class MetadataStoreContract {
    /** Has sub-microsecond digits, which stores drop. */
    protected static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123456789Z");

    protected MetadataStore store;

    /** A new, empty store; the contract closes it. */
    protected abstract MetadataStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // --- projects and files

    @Test
    void adding_a_file_creates_its_project_and_lists_the_file() {
        StoredFile wheel = wheel("demo", "1.0", T0);

        Optional<StoredFile> existing = store.addFile(wheel, "Demo", "A demo");

        assertThat(existing).isEmpty();
        assertThat(store.project("demo"))
                .contains(new ProjectRecord("demo", "Demo", "A demo", micros(T0), 1));
        assertThat(store.projects()).extracting(ProjectRecord::name).containsExactly("demo");
        assertThat(store.files("demo")).containsExactly(stored(wheel));
        assertThat(store.file("demo", wheel.filename())).contains(stored(wheel));
    }

    @Test
    void a_duplicate_filename_returns_the_existing_record_and_changes_nothing() {
        StoredFile first = wheel("demo", "1.0", T0);
        store.addFile(first, "Demo", "first");
        StoredFile other = new StoredFile("demo", "1.0", first.filename(), "bdist_wheel", 99, "ff".repeat(32),
                BlobKey.of("other/blob.whl"), Optional.empty(), Optional.empty(), Optional.empty(),
                T0.plusSeconds(60), Optional.empty(), "someone-else");

        Optional<StoredFile> existing = store.addFile(other, "DEMO", "second");

        assertThat(existing).contains(stored(first));
        assertThat(store.files("demo")).containsExactly(stored(first));
        assertThat(store.project("demo")).contains(new ProjectRecord("demo", "Demo", "first", micros(T0), 1));
        assertThat(store.referencesBlob(BlobKey.of("other/blob.whl"))).isFalse();
    }

    @Test
    void filenames_are_unique_across_projects() {
        StoredFile first = wheel("demo", "1.0", T0);
        store.addFile(first, "Demo", "");
        StoredFile sameNameElsewhere = new StoredFile("other", "1.0", first.filename(), "bdist_wheel", 1,
                "00".repeat(32), BlobKey.of("b/other.whl"), Optional.empty(), Optional.empty(), Optional.empty(), T0,
                Optional.empty(), "ci");

        assertThat(store.addFile(sameNameElsewhere, "Other", "")).contains(stored(first));
        assertThat(store.project("other")).isEmpty();
    }

    @Test
    void a_later_file_updates_display_name_and_summary_but_not_created() {
        store.addFile(wheel("demo", "1.0", T0), "demo", "old summary");

        store.addFile(wheel("demo", "2.0", T0.plusSeconds(3600)), "Demo", "new summary");

        assertThat(store.project("demo")).contains(new ProjectRecord("demo", "Demo", "new summary", micros(T0), 2));
    }

    @Test
    void the_revision_grows_on_every_add_and_yank() {
        store.addFile(wheel("demo", "1.0", T0), "Demo", "");
        long afterFirst = revision("demo");
        store.addFile(sdist("demo", "1.0", T0), "Demo", "");
        long afterSecond = revision("demo");
        store.setYanked("demo", "demo-1.0.tar.gz", Optional.of("broken"));
        long afterYank = revision("demo");
        store.setYanked("demo", "demo-1.0.tar.gz", Optional.empty());
        long afterUnyank = revision("demo");

        assertThat(List.of(afterFirst, afterSecond, afterYank, afterUnyank)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void adding_a_file_to_one_project_leaves_the_others_alone() {
        store.addFile(wheel("alpha", "1.0", T0), "alpha", "");
        store.addFile(wheel("beta", "1.0", T0), "beta", "");

        store.addFile(wheel("beta", "2.0", T0), "beta", "");

        assertThat(revision("alpha")).isEqualTo(1);
        assertThat(store.files("alpha")).hasSize(1);
        assertThat(store.files("beta")).hasSize(2);
    }

    @Test
    void lists_projects_by_name() {
        for (String name : List.of("zope-interface", "attrs", "django", "a-b")) {
            store.addFile(wheel(name, "1.0", T0), name, "");
        }

        assertThat(store.projects())
                .extracting(ProjectRecord::name)
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

        assertThat(store.files("demo"))
                .extracting(StoredFile::filename)
                .containsExactly(earlyA.filename(), earlyB.filename(), middle.filename(), late.filename());
    }

    @Test
    void an_unknown_project_has_no_record_and_no_files() {
        store.addFile(wheel("demo", "1.0", T0), "demo", "");

        assertThat(store.project("nope")).isEmpty();
        assertThat(store.files("nope")).isEmpty();
        assertThat(store.file("nope", "demo-1.0-py3-none-any.whl")).isEmpty();
        assertThat(store.file("demo", "demo-9.9-py3-none-any.whl")).isEmpty();
    }

    @Test
    void absent_optional_fields_round_trip_as_empty() {
        StoredFile bare = new StoredFile("demo", "1.0", "demo-1.0.tar.gz", "sdist", 0, "00".repeat(32),
                BlobKey.of("b/demo-1.0.tar.gz"), Optional.empty(), Optional.empty(), Optional.empty(), T0,
                Optional.empty(), "ci");

        store.addFile(bare, "demo", "");

        assertThat(store.file("demo", "demo-1.0.tar.gz")).contains(stored(bare));
    }

    @Test
    void present_optional_fields_round_trip_including_a_yank_given_at_import() {
        StoredFile full = new StoredFile("demo", "1.0", "demo-1.0-py3-none-any.whl", "bdist_wheel",
                Long.MAX_VALUE, "ab".repeat(32), BlobKey.of("b/demo.whl"), Optional.of(">=3.8, <4"),
                Optional.of("cd".repeat(32)), Optional.of(BlobKey.of("b/demo.whl.metadata")),
                Instant.parse("1999-12-31T23:59:59.999999999Z"), Optional.of("bad build"), "import: pypi");

        store.addFile(full, "Demo", "Ünïcode summary ✓");

        assertThat(store.file("demo", full.filename())).contains(stored(full));
        assertThat(store.project("demo")).map(ProjectRecord::summary).contains("Ünïcode summary ✓");
    }

    @Test
    void upload_times_keep_microseconds() {
        StoredFile wheel = wheel("demo", "1.0", T0);

        store.addFile(wheel, "demo", "");

        assertThat(store.file("demo", wheel.filename()).orElseThrow().uploadTime())
                .isEqualTo(Instant.parse("2025-03-01T12:00:00.123456Z"));
    }

    @Test
    void yanking_sets_and_clears_the_reason() {
        StoredFile wheel = wheel("demo", "1.0", T0);
        store.addFile(wheel, "demo", "");

        assertThat(store.setYanked("demo", wheel.filename(), Optional.of("CVE-2025-1"))).isTrue();
        assertThat(yankOf(wheel)).contains("CVE-2025-1");

        assertThat(store.setYanked("demo", wheel.filename(), Optional.of(""))).isTrue();
        assertThat(yankOf(wheel)).contains("");

        assertThat(store.setYanked("demo", wheel.filename(), Optional.empty())).isTrue();
        assertThat(yankOf(wheel)).isEmpty();
    }

    @Test
    void yanking_an_unknown_file_is_false_and_changes_nothing() {
        StoredFile wheel = wheel("demo", "1.0", T0);
        store.addFile(wheel, "demo", "");

        assertThat(store.setYanked("demo", "demo-9.9.tar.gz", Optional.of("x"))).isFalse();
        assertThat(store.setYanked("other", wheel.filename(), Optional.of("x"))).isFalse();
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
        assertThat(results).filteredOn(Optional::isPresent).allSatisfy(r -> assertThat(r).contains(stored(wheel)));
        assertThat(store.files("demo")).containsExactly(stored(wheel));
        assertThat(revision("demo")).isEqualTo(1);
    }

    @Test
    void concurrent_adds_of_different_files_are_all_recorded_and_counted() throws Exception {
        List<Optional<StoredFile>> results =
                concurrently(8, i -> store.addFile(wheel("demo", "1." + i, T0), "demo", ""));

        assertThat(results).allSatisfy(r -> assertThat(r).isEmpty());
        assertThat(store.files("demo")).hasSize(8);
        assertThat(revision("demo")).isEqualTo(8);
    }

    // --- tokens

    @Test
    void a_token_round_trips_by_id() {
        TokenRecord token = token("tk1", "ci", List.of("read", "upload"), Optional.of("acme-*"),
                Optional.of(T0.plus(Duration.ofDays(30))), Optional.of(T0.plusSeconds(5)));

        store.addToken(token);

        assertThat(store.token("tk1")).contains(micros(token));
        assertThat(store.token("nope")).isEmpty();
    }

    @Test
    void a_token_without_optional_fields_round_trips() {
        TokenRecord token = token("tk1", "ci", List.of("admin"), Optional.empty(), Optional.empty(), Optional.empty());

        store.addToken(token);

        assertThat(store.token("tk1")).contains(micros(token));
    }

    @Test
    void a_token_without_scopes_round_trips() {
        TokenRecord token = token("tk1", "ci", List.of(), Optional.empty(), Optional.empty(), Optional.empty());

        store.addToken(token);

        assertThat(store.token("tk1").orElseThrow().scopes()).isEmpty();
    }

    @Test
    void lists_tokens_by_name() {
        store.addToken(token("id-1", "zeta", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        store.addToken(token("id-2", "alpha", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        store.addToken(token("id-3", "mid", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(store.tokens()).extracting(TokenRecord::name).containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void a_second_token_with_the_same_name_is_a_conflict() {
        store.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));

        assertThatThrownBy(() -> store.addToken(
                        token("id-2", "ci", List.of("admin"), Optional.empty(), Optional.empty(), Optional.empty())))
                .isInstanceOfSatisfying(WheelwrightException.class,
                        e -> assertThat(e.kind()).isEqualTo(WheelwrightException.Kind.CONFLICT));
        assertThat(store.tokens()).extracting(TokenRecord::id).containsExactly("id-1");
    }

    @Test
    void revoking_deletes_by_name_and_reports_whether_there_was_one() {
        store.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        store.addToken(token("id-2", "dev", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));

        assertThat(store.revokeToken("ci")).isTrue();
        assertThat(store.revokeToken("ci")).isFalse();
        assertThat(store.token("id-1")).isEmpty();
        assertThat(store.tokens()).extracting(TokenRecord::name).containsExactly("dev");
    }

    @Test
    void token_use_is_recorded_to_the_microsecond() {
        store.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));
        Instant used = Instant.parse("2025-04-01T08:00:00.987654321Z");

        store.tokenUsed("id-1", used);

        assertThat(store.token("id-1").orElseThrow().lastUsed()).contains(Instant.parse("2025-04-01T08:00:00.987654Z"));
    }

    @Test
    void use_of_an_unknown_token_changes_nothing() {
        store.addToken(token("id-1", "ci", List.of("read"), Optional.empty(), Optional.empty(), Optional.empty()));

        store.tokenUsed("nope", T0);

        assertThat(store.token("id-1").orElseThrow().lastUsed()).isEmpty();
        assertThat(store.tokens()).hasSize(1);
    }

    // --- upstream proxy cache

    @Test
    void an_upstream_snapshot_round_trips_and_is_replaced() {
        UpstreamSnapshot first = new UpstreamSnapshot("idna", "pypi", "{\"files\":[]}", Optional.of("\"e1\""),
                Optional.empty(), T0);
        UpstreamSnapshot second = new UpstreamSnapshot("idna", "mirror", "{}", Optional.empty(),
                Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"), T0.plusSeconds(60));

        store.putUpstreamSnapshot(first);
        assertThat(store.upstreamSnapshot("idna")).contains(new UpstreamSnapshot(
                "idna", "pypi", "{\"files\":[]}", Optional.of("\"e1\""), Optional.empty(), micros(T0)));
        store.putUpstreamSnapshot(second);

        assertThat(store.upstreamSnapshot("idna")).contains(new UpstreamSnapshot(
                "idna", "mirror", "{}", Optional.empty(), second.lastModified(), micros(T0.plusSeconds(60))));
        assertThat(store.upstreamSnapshot("requests")).isEmpty();
        assertThat(store.projects()).isEmpty();
    }

    @Test
    void deleting_an_upstream_snapshot_reports_whether_there_was_one() {
        store.putUpstreamSnapshot(new UpstreamSnapshot("idna", "pypi", "{}", Optional.empty(), Optional.empty(), T0));

        assertThat(store.deleteUpstreamSnapshot("idna")).isTrue();
        assertThat(store.deleteUpstreamSnapshot("idna")).isFalse();
        assertThat(store.upstreamSnapshot("idna")).isEmpty();
    }

    @Test
    void a_cached_upstream_file_is_recorded_once_and_references_its_blob() {
        CachedUpstreamFile file = new CachedUpstreamFile("idna-3.20-py3-none-any.whl", "idna", "a".repeat(64), 70_000,
                BlobKey.forContent("a".repeat(64), ".whl"), T0);
        CachedUpstreamFile other = new CachedUpstreamFile("idna-3.20-py3-none-any.whl", "idna", "b".repeat(64), 1,
                BlobKey.forContent("b".repeat(64), ".whl"), T0);
        CachedUpstreamFile metadata = new CachedUpstreamFile("idna-3.20-py3-none-any.whl.metadata", "idna",
                "c".repeat(64), 900, BlobKey.forContent("c".repeat(64), ".metadata"), T0);

        assertThat(store.addCachedUpstreamFile(file)).isEmpty();
        assertThat(store.addCachedUpstreamFile(other)).contains(withMicros(file));
        store.addCachedUpstreamFile(metadata);

        assertThat(store.cachedUpstreamFile(file.filename())).contains(withMicros(file));
        assertThat(store.cachedUpstreamFiles("idna")).containsExactly(withMicros(file), withMicros(metadata));
        assertThat(store.cachedUpstreamFiles("requests")).isEmpty();
        assertThat(store.referencesBlob(file.blob())).isTrue();
        assertThat(store.referencesBlob(other.blob())).isFalse();
        assertThat(store.files("idna")).isEmpty();
    }

    private static CachedUpstreamFile withMicros(CachedUpstreamFile f) {
        return new CachedUpstreamFile(f.filename(), f.project(), f.sha256(), f.size(), f.blob(), micros(f.cached()));
    }

    // --- builds

    @Test
    void a_build_round_trips_and_is_listed_for_its_project() {
        StoredBuild queued = build("demo", "1.0", "queued", T0);

        Optional<StoredBuild> existing = store.addBuild(queued);

        assertThat(existing).isEmpty();
        assertThat(store.build("demo", "1.0")).contains(micros(queued));
        assertThat(store.builds("demo")).containsExactly(micros(queued));
        assertThat(store.builds("other")).isEmpty();
        assertThat(store.build("demo", "2.0")).isEmpty();
    }

    @Test
    void a_second_build_of_a_release_returns_the_first_and_changes_nothing() {
        StoredBuild first = build("demo", "1.0", "queued", T0);
        store.addBuild(first);
        StoredBuild second = new StoredBuild("demo", "1.0", "v1.0-again", "b".repeat(40), "queued", Optional.empty(),
                T0.plusSeconds(5), Optional.empty(), Optional.empty());

        Optional<StoredBuild> existing = store.addBuild(second);

        assertThat(existing).contains(micros(first));
        assertThat(store.builds("demo")).containsExactly(micros(first));
    }

    @Test
    void updating_a_build_replaces_its_state_including_clearing_times() {
        store.addBuild(build("demo", "1.0", "queued", T0));
        StoredBuild failed = new StoredBuild("demo", "1.0", "v1.0", "a".repeat(40), "failed", Optional.of("broken"),
                T0, Optional.of(T0.plusSeconds(1)), Optional.of(T0.plusSeconds(2)));
        StoredBuild requeued = build("demo", "1.0", "queued", T0.plusSeconds(10));

        assertThat(store.updateBuild(failed)).isTrue();
        assertThat(store.build("demo", "1.0")).contains(micros(failed));
        assertThat(store.updateBuild(requeued)).isTrue();
        assertThat(store.build("demo", "1.0")).contains(micros(requeued));
        assertThat(store.updateBuild(build("demo", "9.9", "queued", T0))).isFalse();
        assertThat(store.build("demo", "9.9")).isEmpty();
    }

    @Test
    void lists_builds_most_recently_queued_first_and_unfinished_ones_oldest_first() {
        store.addBuild(build("demo", "1.0", "succeeded", T0));
        store.addBuild(build("demo", "2.0", "running", T0.plusSeconds(1)));
        store.addBuild(build("demo", "3.0", "queued", T0.plusSeconds(2)));
        store.addBuild(build("other", "1.0", "failed", T0.plusSeconds(3)));
        store.addBuild(build("other", "2.0", "queued", T0.plusSeconds(4)));

        assertThat(store.builds("demo")).extracting(StoredBuild::version).containsExactly("3.0", "2.0", "1.0");
        assertThat(store.unfinishedBuilds())
                .extracting(b -> b.project() + " " + b.version())
                .containsExactly("demo 2.0", "demo 3.0", "other 2.0");
    }

    @Test
    void concurrent_adds_of_the_same_build_record_it_exactly_once() throws Exception {
        List<Optional<StoredBuild>> results = concurrently(8, thread -> store.addBuild(
                build("demo", "1.0", "queued", T0.plusSeconds(thread))));

        assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
        assertThat(store.builds("demo")).hasSize(1);
    }

    // --- fixtures

    protected static StoredBuild build(String project, String version, String status, Instant queued) {
        boolean finished = status.equals("succeeded") || status.equals("failed");
        return new StoredBuild(project, version, "v" + version, "a".repeat(40), status,
                status.equals("failed") ? Optional.of("it failed") : Optional.empty(), queued,
                status.equals("queued") ? Optional.empty() : Optional.of(queued.plusMillis(1500)),
                finished ? Optional.of(queued.plusSeconds(3)) : Optional.empty());
    }

    protected static StoredBuild micros(StoredBuild b) {
        return new StoredBuild(b.project(), b.version(), b.tag(), b.commit(), b.status(), b.reason(),
                micros(b.queued()), b.started().map(MetadataStoreContract::micros),
                b.finished().map(MetadataStoreContract::micros));
    }

    protected static StoredFile wheel(String project, String version, Instant uploadTime) {
        String filename = project.replace('-', '_') + "-" + version + "-py3-none-any.whl";
        return new StoredFile(project, version, filename, "bdist_wheel", 1234, sha(filename),
                BlobKey.of("b/" + filename), Optional.of(">=3.8"), Optional.of(sha(filename + ".metadata")),
                Optional.of(BlobKey.of("b/" + filename + ".metadata")), uploadTime, Optional.empty(), "ci");
    }

    protected static StoredFile sdist(String project, String version, Instant uploadTime) {
        String filename = project + "-" + version + ".tar.gz";
        return new StoredFile(project, version, filename, "sdist", 4321, sha(filename), BlobKey.of("b/" + filename),
                Optional.empty(), Optional.empty(), Optional.empty(), uploadTime, Optional.empty(), "ci");
    }

    protected static TokenRecord token(String id, String name, List<String> scopes, Optional<String> glob,
            Optional<Instant> expires, Optional<Instant> lastUsed) {
        return new TokenRecord(id, name, "5a17", sha(id), scopes, glob, T0, expires, lastUsed);
    }

    /** The record as a store gives it back: instants truncated to microseconds. */
    protected static StoredFile stored(StoredFile f) {
        return new StoredFile(f.project(), f.version(), f.filename(), f.packagetype(), f.size(), f.sha256(), f.blob(),
                f.requiresPython(), f.metadataSha256(), f.metadataBlob(), micros(f.uploadTime()), f.yankedReason(),
                f.uploadedBy());
    }

    protected static TokenRecord micros(TokenRecord t) {
        return new TokenRecord(t.id(), t.name(), t.salt(), t.secretHash(), t.scopes(), t.projectGlob(),
                micros(t.created()), t.expires().map(MetadataStoreContract::micros),
                t.lastUsed().map(MetadataStoreContract::micros));
    }

    protected static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static String sha(String seed) {
        String hex = Integer.toHexString(seed.hashCode() & 0x7fffffff);
        return (hex + "0".repeat(64)).substring(0, 64);
    }

    protected final long revision(String project) {
        return store.project(project).orElseThrow().revision();
    }

    private Optional<String> yankOf(StoredFile f) {
        return store.file(f.project(), f.filename()).orElseThrow().yankedReason();
    }

    /** A task run by several threads at once. */
    @FunctionalInterface
    protected interface Task<T> {
        T run(int thread) throws Exception;
    }

    /** Runs the task on {@code threads} threads released together; returns results in thread order. */
    protected static <T> List<T> concurrently(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                Callable<T> call = () -> {
                    ready.countDown();
                    go.await();
                    return task.run(thread);
                };
                futures.add(pool.submit(call));
            }
            ready.await(30, TimeUnit.SECONDS);
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

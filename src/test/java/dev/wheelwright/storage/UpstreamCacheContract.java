package dev.wheelwright.storage;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.micros;
import static dev.wheelwright.storage.StorageFixtures.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UpstreamCache} must do, including staying apart from the {@link ProjectCatalog} of the same
 * backend. A backend's test class only says how to build them.
 */
public abstract class UpstreamCacheContract {
    protected UpstreamCache store;
    /** The project catalog of the same backend as {@link #store}. */
    protected ProjectCatalog catalog;

    /** A new, empty cache; the backend's test closes what it opened, after each test. */
    protected abstract UpstreamCache newCache() throws Exception;

    /** The project catalog that shares its backend with the cache {@link #newCache} returned last. */
    protected abstract ProjectCatalog catalogBesideCache();

    @BeforeEach
    void createCache() throws Exception {
        store = newCache();
        catalog = catalogBesideCache();
    }

    @Test
    void an_upstream_snapshot_round_trips_and_is_replaced() {
        UpstreamSnapshot first = new UpstreamSnapshot(
                name("idna"), "pypi", "{\"files\":[]}", Optional.of("\"e1\""), Optional.empty(), T0);
        UpstreamSnapshot second = new UpstreamSnapshot(
                name("idna"),
                "mirror",
                "{}",
                Optional.empty(),
                Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"),
                T0.plusSeconds(60));

        store.putUpstreamSnapshot(first);
        assertThat(store.upstreamSnapshot(name("idna")))
                .contains(new UpstreamSnapshot(
                        name("idna"), "pypi", "{\"files\":[]}", Optional.of("\"e1\""), Optional.empty(), micros(T0)));
        store.putUpstreamSnapshot(second);

        assertThat(store.upstreamSnapshot(name("idna")))
                .contains(new UpstreamSnapshot(
                        name("idna"),
                        "mirror",
                        "{}",
                        Optional.empty(),
                        second.lastModified(),
                        micros(T0.plusSeconds(60))));
        assertThat(store.upstreamSnapshot(name("requests"))).isEmpty();
        assertThat(catalog.projects()).isEmpty();
    }

    @Test
    void deleting_an_upstream_snapshot_reports_whether_there_was_one() {
        store.putUpstreamSnapshot(
                new UpstreamSnapshot(name("idna"), "pypi", "{}", Optional.empty(), Optional.empty(), T0));

        assertThat(store.deleteUpstreamSnapshot(name("idna"))).isTrue();
        assertThat(store.deleteUpstreamSnapshot(name("idna"))).isFalse();
        assertThat(store.upstreamSnapshot(name("idna"))).isEmpty();
    }

    @Test
    void a_cached_upstream_file_is_recorded_once_and_references_its_blob() {
        CachedUpstreamFile file = new CachedUpstreamFile(
                "idna-3.20-py3-none-any.whl",
                name("idna"),
                "a".repeat(64),
                70_000,
                BlobKey.forContent("a".repeat(64), ".whl"),
                T0);
        CachedUpstreamFile other = new CachedUpstreamFile(
                "idna-3.20-py3-none-any.whl",
                name("idna"),
                "b".repeat(64),
                1,
                BlobKey.forContent("b".repeat(64), ".whl"),
                T0);
        CachedUpstreamFile metadata = new CachedUpstreamFile(
                "idna-3.20-py3-none-any.whl.metadata",
                name("idna"),
                "c".repeat(64),
                900,
                BlobKey.forContent("c".repeat(64), ".metadata"),
                T0);

        assertThat(store.addCachedUpstreamFile(file)).isEmpty();
        assertThat(store.addCachedUpstreamFile(other)).contains(withMicros(file));
        store.addCachedUpstreamFile(metadata);

        assertThat(store.cachedUpstreamFile(file.filename())).contains(withMicros(file));
        assertThat(store.cachedUpstreamFiles(name("idna"))).containsExactly(withMicros(file), withMicros(metadata));
        assertThat(store.cachedUpstreamFiles(name("requests"))).isEmpty();
        assertThat(store.referencesBlob(file.blob())).isTrue();
        assertThat(store.referencesBlob(other.blob())).isFalse();
        assertThat(catalog.files(name("idna"))).isEmpty();
    }

    @Test
    void snapshots_and_cached_files_are_found_by_any_spelling_of_the_project_name() {
        store.putUpstreamSnapshot(
                new UpstreamSnapshot(name("Zope.Interface"), "pypi", "{}", Optional.empty(), Optional.empty(), T0));
        store.addCachedUpstreamFile(new CachedUpstreamFile(
                "zope_interface-7.0-py3-none-any.whl",
                name("zope_interface"),
                "a".repeat(64),
                1,
                BlobKey.forContent("a".repeat(64), ".whl"),
                T0));

        assertThat(store.upstreamSnapshot(name("zope-interface"))
                        .orElseThrow()
                        .project()
                        .original())
                .isEqualTo("zope-interface");
        assertThat(store.cachedUpstreamFiles(name("ZOPE_INTERFACE")))
                .singleElement()
                .satisfies(f -> assertThat(f.project().original()).isEqualTo("zope-interface"));
        assertThat(store.deleteUpstreamSnapshot(name("zope.interface"))).isTrue();
    }

    private static CachedUpstreamFile withMicros(CachedUpstreamFile f) {
        return micros(f);
    }
}

package dev.wheelwright.storage;

import static dev.wheelwright.storage.StorageFixtures.T0;
import static dev.wheelwright.storage.StorageFixtures.concurrently;
import static dev.wheelwright.storage.StorageFixtures.name;
import static dev.wheelwright.storage.StorageFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ProvenanceStore} must do. A backend's test class only says how to build one. */
public abstract class ProvenanceStoreContract {
    protected ProvenanceStore store;

    /** A new, empty store; the backend's test closes what it opened, after each test. */
    protected abstract ProvenanceStore newProvenanceStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newProvenanceStore();
    }

    /** A provenance record of {@code filename} in {@code project} 1.0; a tag object also brings a subdirectory. */
    public static FileProvenance provenance(
            String project, String filename, String sha256, Optional<String> tagObject) {
        return new FileProvenance(
                name(project),
                version("1.0"),
                filename,
                sha256,
                new FileProvenance.Source(
                        "https://git.example/acme/" + project + ".git",
                        "v1.0",
                        tagObject,
                        "c".repeat(40),
                        tagObject.isPresent() ? Optional.of("python/pkg") : Optional.empty(),
                        "d".repeat(64)),
                new FileProvenance.Builder(
                        "0.1.0",
                        "builder-1",
                        "hatchling.build",
                        tagObject.map(t -> "1.18.0"),
                        Optional.of("3.11.2"),
                        "e".repeat(64),
                        List.of("build", "hatchling"),
                        List.of("build==1.2.1", "hatchling==1.18.0", "packaging==24.0")),
                T0,
                T0.plusSeconds(7));
    }

    private static FileProvenance micros(FileProvenance p) {
        return new FileProvenance(
                p.project(),
                p.version(),
                p.filename(),
                p.sha256(),
                p.source(),
                p.builder(),
                StorageFixtures.micros(p.started()),
                StorageFixtures.micros(p.finished()));
    }

    @Test
    void provenance_round_trips_with_and_without_its_optional_parts() {
        FileProvenance annotated =
                provenance("demo", "demo-1.0-py3-none-any.whl", "a".repeat(64), Optional.of("f".repeat(40)));
        FileProvenance lightweight = provenance("demo", "demo-1.0.tar.gz", "b".repeat(64), Optional.empty());

        store.putProvenance(annotated);
        store.putProvenance(lightweight);

        assertThat(store.provenance("demo-1.0-py3-none-any.whl")).contains(micros(annotated));
        assertThat(store.provenance("demo-1.0.tar.gz")).contains(micros(lightweight));
        assertThat(store.provenance("other-1.0.tar.gz")).isEmpty();
    }

    @Test
    void an_empty_requirement_list_round_trips() {
        FileProvenance p = provenance("demo", "demo-1.0.tar.gz", "b".repeat(64), Optional.empty());
        FileProvenance empty = new FileProvenance(
                p.project(),
                p.version(),
                p.filename(),
                p.sha256(),
                p.source(),
                new FileProvenance.Builder(
                        "0.1.0",
                        "h",
                        "setuptools.build_meta",
                        Optional.empty(),
                        Optional.empty(),
                        "0",
                        List.of(),
                        List.of()),
                p.started(),
                p.finished());

        store.putProvenance(empty);

        assertThat(store.provenance("demo-1.0.tar.gz")).contains(micros(empty));
    }

    @Test
    void a_second_record_of_a_filename_replaces_the_first() {
        store.putProvenance(provenance("demo", "demo-1.0.tar.gz", "a".repeat(64), Optional.empty()));
        FileProvenance second = provenance("demo", "demo-1.0.tar.gz", "b".repeat(64), Optional.of("1".repeat(40)));

        store.putProvenance(second);

        assertThat(store.provenance("demo-1.0.tar.gz")).contains(micros(second));
    }

    @Test
    void lists_the_provenance_of_one_project_by_filename() {
        FileProvenance wheel = provenance("demo", "demo-1.0-py3-none-any.whl", "a".repeat(64), Optional.empty());
        FileProvenance sdist = provenance("demo", "demo-1.0.tar.gz", "b".repeat(64), Optional.empty());
        store.putProvenance(sdist);
        store.putProvenance(wheel);
        store.putProvenance(provenance("other", "other-1.0.tar.gz", "c".repeat(64), Optional.empty()));

        assertThat(store.provenanceOf(name("demo"))).containsExactly(micros(wheel), micros(sdist));
        assertThat(store.provenanceOf(name("nothing"))).isEmpty();
    }

    @Test
    void the_first_signing_key_added_is_kept() throws Exception {
        assertThat(store.signingKey()).isEmpty();
        SigningKeyRecord first = new SigningKeyRecord("Ed25519", "cHVibGlj", "cHJpdmF0ZQ==", T0);

        assertThat(store.addSigningKey(first)).isEmpty();
        Optional<SigningKeyRecord> second =
                store.addSigningKey(new SigningKeyRecord("Ed25519", "b3RoZXI=", "b3RoZXI=", T0.plusSeconds(1)));

        SigningKeyRecord kept = new SigningKeyRecord("Ed25519", "cHVibGlj", "cHJpdmF0ZQ==", StorageFixtures.micros(T0));
        assertThat(second).contains(kept);
        assertThat(store.signingKey()).contains(kept);
    }

    @Test
    void concurrent_first_keys_leave_exactly_one() throws Exception {
        List<Optional<SigningKeyRecord>> answers =
                concurrently(8, i -> store.addSigningKey(new SigningKeyRecord("Ed25519", "key" + i, "secret" + i, T0)));

        assertThat(answers.stream().filter(Optional::isEmpty)).hasSize(1);
        SigningKeyRecord kept = store.signingKey().orElseThrow();
        assertThat(answers.stream().flatMap(Optional::stream)).allMatch(kept::equals);
    }
}

package dev.wheelwright.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.common.Sha256;
import dev.wheelwright.errors.WheelwrightException;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.BlobStoreContract;
import dev.wheelwright.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreContract {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final BlobKey KEY = BlobKey.of("sha256/ab/demo-1.0-py3-none-any.whl");

    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() {
        return new FileSystemBlobStore(root, CLOCK);
    }

    @Test
    void stores_a_blob_at_its_key_under_the_root() throws IOException {
        put(new FileSystemBlobStore(root, CLOCK), KEY, fileWith("bytes"));

        assertThat(root.resolve("sha256/ab/demo-1.0-py3-none-any.whl")).hasContent("bytes");
    }

    @Test
    void a_stored_blob_is_offered_as_a_local_file_for_zero_copy_sending() throws IOException {
        FileSystemBlobStore store = new FileSystemBlobStore(root, CLOCK);
        put(store, KEY, fileWith("bytes"));

        assertThat(store.localFile(KEY)).hasValueSatisfying(p -> assertThat(p).hasContent("bytes"));
        assertThat(store.localFile(BlobKey.of("b/none.whl"))).isEmpty();
    }

    @Test
    void leaves_no_partial_file_after_a_put() throws IOException {
        put(new FileSystemBlobStore(root, CLOCK), KEY, fileWith("bytes"));

        assertThat(partialsUnder(root)).isZero();
    }

    @Test
    void a_store_made_for_a_background_sweep_leaves_the_scan_to_its_caller() throws IOException {
        Path partial = leftoverPartial(NOW.minus(Duration.ofHours(2)));

        FileSystemBlobStore store = new FileSystemBlobStore(
                root, CLOCK, new io.micrometer.core.instrument.composite.CompositeMeterRegistry(), false);
        assertThat(partial).exists();
        store.removeStalePartials();

        assertThat(partial).doesNotExist();
    }

    @Test
    void a_leftover_partial_file_is_removed_on_construction() throws IOException {
        Path partial = leftoverPartial(NOW.minus(Duration.ofHours(2)));

        new FileSystemBlobStore(root, CLOCK);

        assertThat(partial).doesNotExist();
    }

    @Test
    void a_fresh_partial_file_of_a_put_in_another_process_is_kept() throws IOException {
        Path partial = leftoverPartial(NOW.minus(Duration.ofMinutes(5)));

        new FileSystemBlobStore(root, CLOCK);

        assertThat(partial).exists();
    }

    @Test
    void a_partial_file_is_never_visible_as_a_key() throws IOException {
        FileSystemBlobStore store = new FileSystemBlobStore(root, CLOCK);
        leftoverPartial(NOW);

        assertThatThrownBy(() -> BlobKey.of("sha256/ab/.partial-x")).isInstanceOf(WheelwrightException.class);
        assertThat(store.exists(KEY)).isFalse();
        assertThat(store.open(KEY)).isEmpty();
    }

    @Test
    void a_failed_put_names_the_key_but_not_the_server_path() {
        FileSystemBlobStore store = new FileSystemBlobStore(root, CLOCK);

        assertThatThrownBy(() -> store.put(KEY, root.resolve("no-such-source"), "00".repeat(32)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(KEY.value())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(root.toString()));
        assertThat(store.exists(KEY)).isFalse();
    }

    @Test
    void a_put_that_cannot_replace_the_target_leaves_no_partial_file() throws IOException {
        FileSystemBlobStore store = new FileSystemBlobStore(root, CLOCK);
        Files.createDirectories(root.resolve(KEY.value()).resolve("in-the-way"));

        assertThatThrownBy(() -> put(store, KEY, fileWith("bytes"))).isInstanceOf(StorageException.class);

        assertThat(partialsUnder(root)).isZero();
    }

    @Test
    void bytes_from_memory_go_through_a_partial_file_that_never_stays() throws IOException {
        FileSystemBlobStore store = new FileSystemBlobStore(root, CLOCK);
        byte[] bytes = "bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        store.put(KEY, bytes, Sha256.hex(bytes));
        assertThat(root.resolve(KEY.value())).hasContent("bytes");
        assertThat(partialsUnder(root)).isZero();

        BlobKey blocked = BlobKey.of("sha256/cd/blocked-1.0-py3-none-any.whl");
        Files.createDirectories(root.resolve(blocked.value()).resolve("in-the-way"));
        assertThatThrownBy(() -> store.put(blocked, bytes, Sha256.hex(bytes)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(blocked.value())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(root.toString()));
        assertThat(partialsUnder(root)).isZero();
    }

    private static void put(FileSystemBlobStore store, BlobKey key, Path file) throws IOException {
        store.put(key, file, Sha256.hex(file));
    }

    private Path leftoverPartial(Instant modified) throws IOException {
        Path dir = Files.createDirectories(root.resolve("sha256/ab"));
        Path partial = Files.writeString(dir.resolve(".partial-x"), "half a whe");
        Files.setLastModifiedTime(partial, FileTime.from(modified));
        return partial;
    }

    private static long partialsUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".partial-"))
                    .count();
        }
    }
}

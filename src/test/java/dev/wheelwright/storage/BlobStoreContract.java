package dev.wheelwright.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.wheelwright.common.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link BlobStore} must do. A backend's test class only says how to build one. */
public abstract class BlobStoreContract {
    private static final BlobKey WHEEL = BlobKey.of("files/demo/demo-1.0-py3-none-any.whl");
    private static final BlobKey SDIST = BlobKey.of("files/demo/demo-1.0.tar.gz");

    @TempDir
    Path scratch;

    protected BlobStore store;
    private int files;

    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    @Test
    void reads_back_what_was_put() throws IOException {
        put(WHEEL, fileWith("wheel bytes"));

        assertThat(read(WHEEL)).isEqualTo("wheel bytes");
    }

    @Test
    void a_second_put_replaces_the_first() throws IOException {
        put(WHEEL, fileWith("first, and longer"));
        put(WHEEL, fileWith("second"));

        assertThat(read(WHEEL)).isEqualTo("second");
    }

    @Test
    void put_leaves_the_source_file_in_place() throws IOException {
        Path source = fileWith("keep me");

        put(WHEEL, source);

        assertThat(source).hasContent("keep me");
    }

    @Test
    void stores_an_empty_blob() throws IOException {
        put(WHEEL, fileWith(""));

        assertThat(store.exists(WHEEL)).isTrue();
        assertThat(read(WHEEL)).isEmpty();
    }

    @Test
    void keeps_keys_apart() throws IOException {
        put(WHEEL, fileWith("wheel"));
        put(SDIST, fileWith("sdist"));

        assertThat(read(WHEEL)).isEqualTo("wheel");
        assertThat(read(SDIST)).isEqualTo("sdist");
    }

    @Test
    void reports_a_missing_key_as_empty_not_as_an_error() {
        assertThat(store.open(WHEEL)).isEmpty();
        assertThat(store.open(WHEEL, 0, 10)).isEmpty();
        assertThat(store.exists(WHEEL)).isFalse();
    }

    @Test
    void exists_after_put() throws IOException {
        put(WHEEL, fileWith("x"));

        assertThat(store.exists(WHEEL)).isTrue();
        assertThat(store.exists(SDIST)).isFalse();
    }

    @Test
    void delete_removes_the_blob_and_reports_whether_there_was_one() throws IOException {
        put(WHEEL, fileWith("x"));

        assertThat(store.delete(WHEEL)).isTrue();
        assertThat(store.exists(WHEEL)).isFalse();
        assertThat(store.open(WHEEL)).isEmpty();
        assertThat(store.delete(WHEEL)).isFalse();
    }

    @Test
    void a_range_returns_exactly_that_slice() throws IOException {
        put(WHEEL, fileWith("0123456789"));

        assertThat(readRange(WHEEL, 0, 3)).isEqualTo("012");
        assertThat(readRange(WHEEL, 3, 4)).isEqualTo("3456");
        assertThat(readRange(WHEEL, 7, 3)).isEqualTo("789");
        assertThat(readRange(WHEEL, 4, 0)).isEmpty();
    }

    @Test
    void a_range_starting_at_the_end_is_empty() throws IOException {
        put(WHEEL, fileWith("0123456789"));

        assertThat(readRange(WHEEL, 10, 0)).isEmpty();
        assertThat(readRange(WHEEL, 10, 5)).isEmpty();
    }

    @Test
    void a_range_past_the_end_returns_what_there_is() throws IOException {
        put(WHEEL, fileWith("0123456789"));

        assertThat(readRange(WHEEL, 8, 100)).isEqualTo("89");
    }

    @Test
    void a_range_of_a_large_blob_is_byte_exact() throws IOException {
        byte[] bytes = randomBytes(3 * 1024 * 1024 + 17);
        put(WHEEL, fileWith(bytes));
        int offset = 1024 * 1024 + 5;
        int length = 1024 * 1024 + 3;

        byte[] slice;
        try (InputStream in = store.open(WHEEL, offset, length).orElseThrow()) {
            slice = in.readAllBytes();
        }

        assertThat(slice).isEqualTo(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    @Test
    void round_trips_a_five_megabyte_blob() throws IOException {
        byte[] bytes = randomBytes(5 * 1024 * 1024 + 1);
        put(WHEEL, fileWith(bytes));

        byte[] back;
        try (InputStream in = store.open(WHEEL).orElseThrow()) {
            back = in.readAllBytes();
        }

        assertThat(back).isEqualTo(bytes);
    }

    @Test
    void a_reader_keeps_the_old_bytes_when_a_put_replaces_them() throws IOException {
        put(WHEEL, fileWith("old"));

        try (InputStream in = store.open(WHEEL).orElseThrow()) {
            put(WHEEL, fileWith("new"));

            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("old");
        }
        assertThat(read(WHEEL)).isEqualTo("new");
    }

    @Test
    void a_content_addressed_key_round_trips() throws IOException {
        BlobKey key = BlobKey.forContent("ab".repeat(32), ".whl");

        put(key, fileWith("content"));

        assertThat(read(key)).isEqualTo("content");
    }

    /** Puts {@code file} under {@code key} with the file's own sha256 as the expected one. */
    protected final void put(BlobKey key, Path file) throws IOException {
        store.put(key, file, Sha256.hex(file));
    }

    @Test
    void a_put_whose_bytes_do_not_have_the_expected_sha256_stores_nothing() throws IOException {
        Path other = fileWith("other bytes");

        refusesOtherBytes((key, sha256) -> store.put(key, other, sha256));
    }

    @Test
    void bytes_from_memory_that_do_not_have_the_expected_sha256_store_nothing() throws IOException {
        byte[] other = "other bytes".getBytes(StandardCharsets.UTF_8);

        refusesOtherBytes((key, sha256) -> store.put(key, other, sha256));
    }

    /** {@code put} of bytes other than those of the sha256 it is given throws and leaves both keys as they were. */
    private void refusesOtherBytes(java.util.function.BiConsumer<BlobKey, String> put) throws IOException {
        put(WHEEL, fileWith("recorded"));
        String validated = Sha256.hex("what the caller validated");

        assertThatThrownBy(() -> put.accept(WHEEL, validated))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(WHEEL.value());
        assertThatThrownBy(() -> put.accept(SDIST, validated)).isInstanceOf(StorageException.class);

        assertThat(read(WHEEL)).isEqualTo("recorded");
        assertThat(store.exists(SDIST)).isFalse();
    }

    @Test
    void bytes_put_from_memory_read_back_replace_and_are_listed_like_a_file() throws IOException {
        byte[] first = "from memory, and longer".getBytes(StandardCharsets.UTF_8);
        store.put(WHEEL, first, Sha256.hex(first));
        assertThat(read(WHEEL)).isEqualTo("from memory, and longer");

        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        store.put(WHEEL, second, Sha256.hex(second));
        store.put(SDIST, new byte[0], Sha256.hex(new byte[0]));

        assertThat(read(WHEEL)).isEqualTo("second");
        assertThat(readRange(WHEEL, 2, 3)).isEqualTo("con");
        assertThat(store.writtenBefore(Instant.now().plus(Duration.ofHours(1))))
                .extracting(ListedBlob::key, ListedBlob::size)
                .containsExactlyInAnyOrder(tuple(WHEEL, 6L), tuple(SDIST, 0L));
    }

    @Test
    void a_five_megabyte_blob_put_from_memory_round_trips() throws IOException {
        byte[] bytes = randomBytes(5 * 1024 * 1024 + 1); // above S3's part size: through a file there

        store.put(WHEEL, bytes, Sha256.hex(bytes));

        try (InputStream in = store.open(WHEEL).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void lists_the_blobs_written_before_a_time_with_their_sizes() throws IOException {
        put(WHEEL, fileWith("0123456789"));
        put(SDIST, fileWith("sdist"));

        assertThat(store.writtenBefore(Instant.now().plus(Duration.ofHours(1))))
                .extracting(ListedBlob::key, ListedBlob::size)
                .containsExactlyInAnyOrder(tuple(WHEEL, 10L), tuple(SDIST, 5L));
        assertThat(store.writtenBefore(Instant.now().minus(Duration.ofHours(1))))
                .isEmpty();
    }

    @Test
    void a_working_store_is_reachable_and_says_where_it_is() {
        store.checkReachable();

        assertThat(store.describe()).isNotBlank();
    }

    protected final Path fileWith(String content) throws IOException {
        return fileWith(content.getBytes(StandardCharsets.UTF_8));
    }

    protected final Path fileWith(byte[] content) throws IOException {
        return Files.write(scratch.resolve("source-" + files++), content);
    }

    protected final String read(BlobKey key) throws IOException {
        try (InputStream in = store.open(key).orElseThrow()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String readRange(BlobKey key, long offset, long length) throws IOException {
        try (InputStream in = store.open(key, offset, length).orElseThrow()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}

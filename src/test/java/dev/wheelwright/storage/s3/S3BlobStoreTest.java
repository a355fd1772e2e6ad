package dev.wheelwright.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wheelwright.common.Sha256;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.BlobStoreContract;
import dev.wheelwright.storage.StorageException;
import dev.wheelwright.testing.CorruptingProxy;
import dev.wheelwright.testing.S3TestEndpoint;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The blob store contract against a real S3 server (see {@link S3TestEndpoint}), plus what only S3 has. */
class S3BlobStoreTest extends BlobStoreContract {
    private S3BlobStore s3;

    @Override
    protected BlobStore newStore() {
        s3 = S3TestEndpoint.get().newBlobStore("contract/");
        return s3;
    }

    @AfterEach
    void closeStore() {
        s3.close();
    }

    private static final BlobKey BIG = BlobKey.of("sha256/ab/big-1.0-py3-none-any.whl");
    private static final long PART = S3BlobStore.MIN_PART_SIZE;

    @Test
    void keeps_blobs_under_the_key_prefix_in_the_bucket() throws IOException {
        S3TestEndpoint s3server = S3TestEndpoint.get();
        String bucket = s3server.createBucket();
        try (S3BlobStore store = s3server.newBlobStore(bucket, "team-a/", PART, Optional.empty())) {
            Path file = fileWith("bytes");

            store.put(BIG, file, Sha256.hex(file));

            HeadObjectResponse head =
                    s3server.client().headObject(b -> b.bucket(bucket).key("team-a/" + BIG.value()));
            assertThat(head.contentLength()).isEqualTo(5);
            assertThat(head.metadata()).containsEntry("sha256", Sha256.hex(file));
        }
    }

    @Test
    void a_file_above_the_part_size_goes_up_in_parts_and_reads_back_whole_and_by_range() throws IOException {
        S3TestEndpoint s3server = S3TestEndpoint.get();
        String bucket = s3server.createBucket();
        byte[] bytes = randomBytes((int) (2 * PART + 7));
        Path file = fileWith(bytes);

        try (S3BlobStore store = s3server.newBlobStore(bucket, "", PART, Optional.empty())) {
            store.put(BIG, file, Sha256.hex(file));

            assertThat(s3server.client()
                            .headObject(b -> b.bucket(bucket).key(BIG.value()))
                            .eTag())
                    .as("a multipart object's ETag ends in -<parts>")
                    .endsWith("-3\"");
            try (InputStream in = store.open(BIG).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
            long across = PART - 3; // a range across the first part boundary
            try (InputStream in = store.open(BIG, across, 10).orElseThrow()) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, (int) across, (int) across + 10));
            }
            assertThat(s3server.client()
                            .listMultipartUploads(b -> b.bucket(bucket))
                            .uploads())
                    .isEmpty();
        }
    }

    @Test
    void the_server_refuses_bytes_corrupted_on_the_way_and_nothing_is_stored() throws IOException {
        S3TestEndpoint s3server = S3TestEndpoint.get();
        String bucket = s3server.createBucket();
        Path file = fileWith("wheel bytes that a bad network path changes");

        try (CorruptingProxy proxy = new CorruptingProxy(s3server.endpoint(), line -> line.startsWith("PUT "));
                S3BlobStore store = viaProxy(s3server, proxy, bucket)) {
            assertThatThrownBy(() -> store.put(BIG, file, Sha256.hex(file)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(BIG.value());

            assertThat(proxy.corrupted()).isPositive();
            assertThat(store.exists(BIG)).isFalse();
        }
    }

    @Test
    void a_failed_part_aborts_the_multipart_upload_and_leaves_no_parts() throws IOException {
        S3TestEndpoint s3server = S3TestEndpoint.get();
        String bucket = s3server.createBucket();
        Path file = fileWith(randomBytes((int) (2 * PART + 1)));

        try (CorruptingProxy proxy = new CorruptingProxy(s3server.endpoint(), line -> line.contains("partNumber=2"));
                S3BlobStore store = viaProxy(s3server, proxy, bucket)) {
            assertThatThrownBy(() -> store.put(BIG, file, Sha256.hex(file))).isInstanceOf(StorageException.class);

            assertThat(proxy.corrupted()).isPositive();
            assertThat(store.exists(BIG)).isFalse();
        }
        assertThat(s3server.client().listMultipartUploads(b -> b.bucket(bucket)).uploads())
                .as("no multipart upload left open")
                .isEmpty();
    }

    @Test
    void a_wrong_secret_key_is_a_clear_error_that_does_not_show_it() throws IOException {
        S3TestEndpoint s3server = S3TestEndpoint.get();
        String bucket = s3server.createBucket();
        String wrongSecret = "not-the-secret-" + UUID.randomUUID();
        try (S3BlobStore store = S3BlobStore.connect(
                new S3BlobStore.Location(s3server.endpoint(), s3server.region(), true, bucket, ""),
                s3server.accessKey(),
                wrongSecret,
                PART,
                Optional.empty(),
                new CompositeMeterRegistry())) {
            Path file = fileWith("x");

            assertThatThrownBy(store::checkReachable)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("s3://" + bucket)
                    .hasMessageContaining("access denied")
                    .hasMessageContaining("check the access and secret keys")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrongSecret));
            assertThatThrownBy(() -> store.put(BIG, file, Sha256.hex(file)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("secret key does not match the access key")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrongSecret));
        }
    }

    @Test
    void a_missing_bucket_is_named_in_the_error() {
        try (S3BlobStore store = S3TestEndpoint.get().newBlobStore("no-such-bucket-here", "", PART, Optional.empty())) {
            assertThatThrownBy(store::checkReachable)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("s3://no-such-bucket-here")
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void an_endpoint_that_is_down_is_a_clear_error() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (S3BlobStore store = S3BlobStore.connect(
                new S3BlobStore.Location(URI.create("http://127.0.0.1:" + closedPort), "us-east-1", true, "b", ""),
                "a",
                "s",
                PART,
                Optional.empty(),
                new CompositeMeterRegistry())) {
            assertThatThrownBy(store::checkReachable)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("cannot be reached");
            assertThatThrownBy(() -> store.open(BIG)).isInstanceOf(StorageException.class);
        }
    }

    @Test
    void a_presigned_url_serves_the_bytes_without_credentials_and_only_in_redirect_mode() throws Exception {
        S3TestEndpoint s3server = S3TestEndpoint.get();
        String bucket = s3server.createBucket();
        Path file = fileWith("direct bytes");
        try (S3BlobStore redirecting = s3server.newBlobStore(bucket, "p/", PART, Optional.of(Duration.ofMinutes(5)));
                S3BlobStore plain = s3server.newBlobStore(bucket, "p/", PART, Optional.empty())) {
            redirecting.put(BIG, file, Sha256.hex(file));

            URI url = redirecting.directUrl(BIG).orElseThrow();
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("direct bytes");
            assertThat(url.getQuery()).contains("X-Amz-Expires=300");
            assertThat(plain.directUrl(BIG)).isEmpty();
        }
    }

    private static S3BlobStore viaProxy(S3TestEndpoint s3server, CorruptingProxy proxy, String bucket) {
        return S3BlobStore.connect(
                new S3BlobStore.Location(proxy.endpoint(), s3server.region(), true, bucket, ""),
                s3server.accessKey(),
                s3server.secretKey(),
                PART,
                Optional.empty(),
                new CompositeMeterRegistry());
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }
}

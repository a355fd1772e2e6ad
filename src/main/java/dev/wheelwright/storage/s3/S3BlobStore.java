package dev.wheelwright.storage.s3;

import dev.wheelwright.common.BoundedInputStream;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.BlobStore;
import dev.wheelwright.storage.ListedBlob;
import dev.wheelwright.storage.StorageErrors;
import dev.wheelwright.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects of one S3 bucket (AWS S3, MinIO, Ceph, Garage, S3Proxy), at {@code <prefix><key>}, the keys laid
 * out as in the file system store. Thread-safe; the client is shared and closed by {@link #close}.
 *
 * <p><b>What {@link #put} verifies.</b> One pass over the spool file computes its sha256 and the MD5 of each request
 * body (the whole file, or each part); a sha256 other than the expected one stores nothing. Every PUT carries its
 * {@code Content-MD5}, which every S3-compatible server checks before it keeps the bytes ({@code BadDigest}
 * otherwise), so the object holds the bytes that were hashed. The sha256 goes along as object metadata
 * ({@code x-amz-meta-sha256}), and put returns only after a HEAD of the key answers the expected size and that
 * sha256: the object exists, whole, before the caller records it. (The SDK's flexible checksums are set to
 * "when required": S3-compatible stores differ in which of them they accept, Content-MD5 they all check.)
 *
 * <p>Files larger than the part size go up as a multipart upload in parts of that size (S3 allows at most 10,000
 * parts, so 16 MiB parts carry up to 156 GiB); a failed part aborts the upload, so no orphan parts stay behind. Reads
 * stream from the HTTP response, never buffered whole; a request body is buffered by the JDK's
 * {@code HttpURLConnection} while it is sent (the SDK's URL-connection client sets no fixed-length streaming mode), so
 * a put holds at most one part in the heap. A replaced object is atomic for readers (S3 PUT semantics).
 * Failures throw {@link StorageException} naming the key and bucket, never a credential.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);

    /** The default part size, also the size above which put uploads in parts. */
    public static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;
    /** S3's smallest part (all but the last). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part count. */
    static final int MAX_PARTS = 10_000;

    static final String SHA256_METADATA = "sha256";
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Where the objects live.
     *
     * @param endpoint the S3 endpoint, e.g. {@code http://minio:9000} or {@code https://s3.eu-west-1.amazonaws.com}
     * @param region the signing region
     * @param pathStyle {@code http://host/bucket/key} (MinIO, S3Proxy, Ceph) instead of {@code http://bucket.host/key}
     * @param bucket the bucket, which must exist
     * @param prefix prepended to every key: empty, or segments ending in {@code /}
     */
    public record Location(URI endpoint, String region, boolean pathStyle, String bucket, String prefix) {
        public Location {
            Objects.requireNonNull(endpoint);
            Objects.requireNonNull(region);
            Objects.requireNonNull(bucket);
            Objects.requireNonNull(prefix);
            if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/") || prefix.contains("//"))) {
                throw new IllegalArgumentException("a key prefix is empty or ends with '/': " + prefix);
            }
        }

        @Override
        public String toString() {
            return "s3://" + bucket + "/" + prefix + " at " + endpoint;
        }
    }

    private final S3Client s3;
    private final Optional<S3Presigner> presigner;
    private final Location location;
    private final long partSize;
    private final Duration urlLifetime;
    private final Counter readErrors;
    private final Counter writeErrors;

    /**
     * A store over {@code s3}, which it closes.
     *
     * @param presigner makes {@link #directUrl} answer presigned GET URLs valid for {@code urlLifetime}; empty: never
     * @param partSize the part size and multipart threshold, at least {@link #MIN_PART_SIZE}
     */
    public S3BlobStore(
            S3Client s3,
            Optional<S3Presigner> presigner,
            Location location,
            long partSize,
            Duration urlLifetime,
            MeterRegistry meters) {
        this.s3 = Objects.requireNonNull(s3);
        this.presigner = Objects.requireNonNull(presigner);
        this.location = Objects.requireNonNull(location);
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's minimum " + MIN_PART_SIZE);
        }
        this.partSize = partSize;
        this.urlLifetime = Objects.requireNonNull(urlLifetime);
        this.readErrors = StorageErrors.counter(meters, "artifacts", "read");
        this.writeErrors = StorageErrors.counter(meters, "artifacts", "write");
    }

    /**
     * A store on its own client: the JDK's URL-connection HTTP client, static credentials, checksums as described in
     * the class comment. {@code redirect} present: {@link #directUrl} hands out presigned URLs of that lifetime.
     */
    public static S3BlobStore connect(
            Location location,
            String accessKey,
            String secretKey,
            long partSize,
            Optional<Duration> redirect,
            MeterRegistry meters) {
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        S3Configuration s3Config = S3Configuration.builder()
                .pathStyleAccessEnabled(location.pathStyle())
                .build();
        S3Client client = S3Client.builder()
                .endpointOverride(location.endpoint())
                .region(Region.of(location.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .build();
        Optional<S3Presigner> presigner = redirect.map(d -> S3Presigner.builder()
                .endpointOverride(location.endpoint())
                .region(Region.of(location.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                .build());
        return new S3BlobStore(client, presigner, location, partSize, redirect.orElse(Duration.ZERO), meters);
    }

    private String objectKey(BlobKey key) {
        return location.prefix() + key.value();
    }

    @Override
    public void put(BlobKey key, Path file, String sha256) {
        String objectKey = objectKey(key);
        writing(key, () -> {
            Digests digests = digest(file);
            if (!digests.sha256().equals(sha256)) {
                throw new StorageException("refused to store blob " + key + ": its bytes have sha256 "
                        + digests.sha256() + ", not the expected " + sha256);
            }
            if (digests.size() <= partSize) {
                putWhole(
                        key,
                        digests.size(),
                        digests.partMd5s().get(0),
                        sha256,
                        RequestBody.fromContentProvider(
                                () -> slice(file, 0, digests.size()), digests.size(), "application/octet-stream"));
            } else {
                putInParts(key, objectKey, file, digests);
            }
            verifyStored(key, digests.size(), sha256);
        });
    }

    /** Bytes that fit one request go in one, from memory; larger ones go through a temporary file. */
    @Override
    public void put(BlobKey key, byte[] bytes, String sha256) {
        if (bytes.length > partSize) {
            BlobStore.super.put(key, bytes, sha256);
            return;
        }
        writing(key, () -> {
            String actual = Sha256.hex(bytes);
            if (!actual.equals(sha256)) {
                throw new StorageException("refused to store blob " + key + ": its bytes have sha256 " + actual
                        + ", not the expected " + sha256);
            }
            putWhole(
                    key,
                    bytes.length,
                    Base64.getEncoder().encodeToString(md5().digest(bytes)),
                    sha256,
                    RequestBody.fromBytes(bytes));
            verifyStored(key, bytes.length, sha256);
        });
    }

    /** A write of a blob: reading its bytes may fail too. */
    @FunctionalInterface
    private interface BlobWrite {
        void run() throws IOException;
    }

    /** Runs {@code write} of blob {@code key}, counting every failure as a write error and naming the key in it. */
    private void writing(BlobKey key, BlobWrite write) {
        try {
            write.run();
        } catch (IOException e) {
            writeErrors.increment();
            throw new StorageException("cannot read the bytes to store as blob " + key, e);
        } catch (SdkException e) {
            writeErrors.increment();
            throw new StorageException("cannot write blob " + key + " to " + where() + ": " + reason(e), e);
        } catch (StorageException e) {
            writeErrors.increment();
            throw e;
        }
    }

    /** One request with the whole blob: its MD5 for the server to check the body, its sha256 in the metadata. */
    private void putWhole(BlobKey key, long size, String md5Base64, String sha256, RequestBody body) {
        s3.putObject(
                b -> b.bucket(location.bucket())
                        .key(objectKey(key))
                        .contentLength(size)
                        .contentMD5(md5Base64)
                        .contentType("application/octet-stream")
                        .metadata(Map.of(SHA256_METADATA, sha256)),
                body);
    }

    private void putInParts(BlobKey key, String objectKey, Path file, Digests digests) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(location.bucket())
                        .key(objectKey)
                        .contentType("application/octet-stream")
                        .metadata(Map.of(SHA256_METADATA, digests.sha256())))
                .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int i = 0; i < digests.partMd5s().size(); i++) {
                int number = i + 1;
                long offset = i * partSize;
                long length = Math.min(partSize, digests.size() - offset);
                String md5 = digests.partMd5s().get(i);
                UploadPartResponse part = s3.uploadPart(
                        b -> b.bucket(location.bucket())
                                .key(objectKey)
                                .uploadId(uploadId)
                                .partNumber(number)
                                .contentLength(length)
                                .contentMD5(md5),
                        RequestBody.fromContentProvider(
                                () -> slice(file, offset, length), length, "application/octet-stream"));
                parts.add(CompletedPart.builder()
                        .partNumber(number)
                        .eTag(part.eTag())
                        .build());
            }
            s3.completeMultipartUpload(b -> b.bucket(location.bucket())
                    .key(objectKey)
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            abort(key, objectKey, uploadId, e);
            throw e;
        }
    }

    /** Aborts a multipart upload so its parts do not linger (and cost); a failure to abort is added to the cause. */
    private void abort(BlobKey key, String objectKey, String uploadId, RuntimeException cause) {
        try {
            s3.abortMultipartUpload(
                    b -> b.bucket(location.bucket()).key(objectKey).uploadId(uploadId));
        } catch (SdkException e) {
            cause.addSuppressed(e);
            log.warn("cannot abort the multipart upload of blob {}: {}", key, reason(e));
        }
    }

    /** The object is there with the size and sha256 just written; anything else is a failed put. */
    private void verifyStored(BlobKey key, long size, String sha256) {
        HeadObjectResponse head = s3.headObject(b -> b.bucket(location.bucket()).key(objectKey(key)));
        String stored = head.metadata().get(SHA256_METADATA);
        if (head.contentLength() == null || head.contentLength() != size || !sha256.equals(stored)) {
            throw new StorageException("blob " + key + " in " + where() + " is not what was written: "
                    + head.contentLength() + " bytes with sha256 " + stored + " instead of " + size
                    + " bytes with sha256 " + sha256);
        }
    }

    /** One pass: the size, the sha256 of the whole file and the base64 MD5 of each request body. */
    private Digests digest(Path file) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        MessageDigest md5 = md5();
        List<String> partMd5s = new ArrayList<>();
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        long inPart = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                int done = 0;
                while (done < n) {
                    int take = (int) Math.min(n - done, partSize - inPart);
                    sha.update(buffer, done, take);
                    md5.update(buffer, done, take);
                    done += take;
                    inPart += take;
                    if (inPart == partSize) {
                        partMd5s.add(Base64.getEncoder().encodeToString(md5.digest()));
                        inPart = 0;
                    }
                }
                size += n;
            }
        }
        if (inPart > 0 || partMd5s.isEmpty()) {
            partMd5s.add(Base64.getEncoder().encodeToString(md5.digest()));
        }
        if (partMd5s.size() > MAX_PARTS) {
            throw new StorageException(
                    "blob of " + size + " bytes needs more than " + MAX_PARTS + " parts of " + partSize + " bytes");
        }
        return new Digests(size, Sha256.hex(sha), List.copyOf(partMd5s));
    }

    private record Digests(long size, String sha256, List<String> partMd5s) {}

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}, opened anew for each (re)try of a request. */
    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (NoSuchFileException e) {
            throw new StorageException("the file to store is gone", e);
        } catch (IOException e) {
            throw new StorageException("cannot read the file to store", e);
        }
    }

    @Override
    public Optional<InputStream> open(BlobKey key) {
        try {
            return Optional.of(s3.getObject(
                    b -> b.bucket(location.bucket()).key(objectKey(key)), ResponseTransformer.toInputStream()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            readErrors.increment();
            throw new StorageException("cannot read blob " + key + " from " + where() + ": " + reason(e), e);
        }
    }

    @Override
    public Optional<InputStream> open(BlobKey key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range " + offset + "+" + length + " for blob " + key);
        }
        if (length == 0) { // S3 has no empty range; the blob's existence still decides between empty and absent
            return exists(key) ? Optional.of(InputStream.nullInputStream()) : Optional.empty();
        }
        try {
            return Optional.of(s3.getObject(
                    b -> b.bucket(location.bucket())
                            .key(objectKey(key))
                            .range("bytes=" + offset + "-" + (offset + length - 1)),
                    ResponseTransformer.toInputStream()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            if (e instanceof S3Exception s3e && s3e.statusCode() == 416) {
                return Optional.of(InputStream.nullInputStream()); // the blob is there and shorter than offset
            }
            readErrors.increment();
            throw new StorageException("cannot read blob " + key + " from " + where() + ": " + reason(e), e);
        }
    }

    @Override
    public Optional<URI> directUrl(BlobKey key) {
        return presigner.map(p -> {
            try {
                return p.presignGetObject(r -> r.signatureDuration(urlLifetime)
                                .getObjectRequest(
                                        g -> g.bucket(location.bucket()).key(objectKey(key))))
                        .url()
                        .toURI();
            } catch (java.net.URISyntaxException | SdkException e) {
                throw new StorageException("cannot make a download URL for blob " + key, e);
            }
        });
    }

    @Override
    public boolean exists(BlobKey key) {
        try {
            s3.headObject(b -> b.bucket(location.bucket()).key(objectKey(key)));
            return true;
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return false;
            }
            readErrors.increment();
            throw new StorageException("cannot look up blob " + key + " in " + where() + ": " + reason(e), e);
        }
    }

    @Override
    public List<ListedBlob> writtenBefore(Instant before) {
        List<ListedBlob> listed = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(
                            b -> b.bucket(location.bucket()).prefix(location.prefix()))
                    .contents()) {
                BlobKey key;
                try {
                    key = BlobKey.of(object.key().substring(location.prefix().length()));
                } catch (RuntimeException e) {
                    continue; // not a blob this store wrote
                }
                if (object.lastModified().isBefore(before)) {
                    listed.add(new ListedBlob(key, object.size(), object.lastModified()));
                }
            }
        } catch (SdkException e) {
            readErrors.increment();
            throw new StorageException("cannot list the blobs of " + where() + ": " + reason(e), e);
        }
        return listed;
    }

    /** S3's DELETE answers the same whether there was an object or not, so a HEAD asks first. */
    @Override
    public boolean delete(BlobKey key) {
        if (!exists(key)) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(location.bucket()).key(objectKey(key)));
            return true;
        } catch (SdkException e) {
            writeErrors.increment();
            throw new StorageException("cannot delete blob " + key + " from " + where() + ": " + reason(e), e);
        }
    }

    /** A HEAD of the bucket with these credentials, bounded in time. */
    @Override
    public void checkReachable() {
        try {
            s3.headBucket(b -> b.bucket(location.bucket()).overrideConfiguration(o -> o.apiCallTimeout(CHECK_TIMEOUT)));
        } catch (SdkException e) {
            throw new StorageException("the bucket " + where() + " is not usable: " + reason(e), e);
        }
    }

    @Override
    public String describe() {
        return location.toString();
    }

    @Override
    public void close() {
        presigner.ifPresent(S3Presigner::close);
        s3.close();
    }

    private String where() {
        return "s3://" + location.bucket() + " at " + location.endpoint();
    }

    private static boolean isNotFound(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s3e && s3e.statusCode() == 404);
    }

    /**
     * One clause saying what went wrong, from the status and S3 error code (never the request, which carries the
     * signature): no such bucket, access denied, wrong secret, cannot connect.
     */
    static String reason(SdkException e) {
        if (e instanceof S3Exception s3e) {
            String code =
                    s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
            int status = s3e.statusCode();
            if ("NoSuchBucket".equals(code) || (status == 404 && code == null)) {
                return "the bucket does not exist";
            }
            if ("InvalidAccessKeyId".equals(code)) {
                return "the access key is not known to the server";
            }
            if ("SignatureDoesNotMatch".equals(code)) {
                return "the secret key does not match the access key";
            }
            if (status == 403) {
                return "access denied (" + (code == null ? "HTTP 403" : code) + "): check the access and secret keys";
            }
            return "HTTP " + status + (code == null ? "" : " " + code);
        }
        if (e instanceof SdkClientException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "the server cannot be reached (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        return e.getClass().getSimpleName();
    }
}

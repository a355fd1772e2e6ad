package dev.wheelwright.testing;

import dev.wheelwright.common.FileTrees;
import dev.wheelwright.storage.s3.S3BlobStore;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for the tests, found in this order: the endpoint in {@code WHEELWRIGHT_TEST_S3_ENDPOINT} (with
 * {@code WHEELWRIGHT_TEST_S3_ACCESS_KEY}, {@code WHEELWRIGHT_TEST_S3_SECRET_KEY}, optionally
 * {@code WHEELWRIGHT_TEST_S3_REGION}), else S3Proxy (filesystem backend under a temporary directory) started from its
 * self-contained jar ({@code s3proxy.jar}, copied to {@code target/s3proxy} by the build) in a JVM of its own on a free
 * loopback port, once per test JVM and stopped when it exits. A server that cannot be had fails the test with the
 * reason: these tests never skip.
 */
public final class S3TestEndpoint {
    public static final String REGION = "us-east-1";
    private static final Pattern STARTED =
            Pattern.compile("Started ServerConnector@\\S+\\{[^}]*\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");
    private static S3TestEndpoint instance;

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final String description;
    private final S3Client client;

    private S3TestEndpoint(URI endpoint, String accessKey, String secretKey, String region, String description) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.description = description;
        this.client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** The server of this test JVM, started on first use. */
    public static synchronized S3TestEndpoint get() {
        if (instance == null) {
            instance = find();
        }
        return instance;
    }

    private static S3TestEndpoint find() {
        Map<String, String> env = System.getenv();
        String configured = env.get("WHEELWRIGHT_TEST_S3_ENDPOINT");
        if (configured != null && !configured.isBlank()) {
            String access = env.get("WHEELWRIGHT_TEST_S3_ACCESS_KEY");
            String secret = env.get("WHEELWRIGHT_TEST_S3_SECRET_KEY");
            if (access == null || secret == null) {
                throw new AssertionError("WHEELWRIGHT_TEST_S3_ENDPOINT is set without WHEELWRIGHT_TEST_S3_ACCESS_KEY"
                        + " and WHEELWRIGHT_TEST_S3_SECRET_KEY");
            }
            return new S3TestEndpoint(
                    URI.create(configured),
                    access,
                    secret,
                    env.getOrDefault("WHEELWRIGHT_TEST_S3_REGION", REGION),
                    "S3 at " + configured);
        }
        try {
            return startS3Proxy();
        } catch (IOException e) {
            throw new AssertionError("cannot start S3Proxy for the S3 tests: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting S3Proxy", e);
        }
    }

    private static S3TestEndpoint startS3Proxy() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no S3Proxy jar at " + jar + ": run the tests through Maven (mvn test), whose"
                    + " generate-test-resources phase copies it there from Maven Central");
        }
        Path dir = Files.createTempDirectory("wheelwright-s3proxy-");
        Path data = Files.createDirectories(dir.resolve("data"));
        String access = "test-access-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:0",
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + access,
                        "s3proxy.credential=" + secret,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + data,
                        "s3proxy.v4-max-non-chunked-request-size=" + (64L * 1024 * 1024),
                        ""),
                StandardCharsets.UTF_8);
        Path log = dir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-jar",
                        jar.toAbsolutePath().toString(),
                        "--properties",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                FileTrees.delete(dir);
            } catch (InterruptedException | IOException e) {
                process.destroyForcibly();
            }
        }));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Matcher m = STARTED.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                URI endpoint = URI.create("http://127.0.0.1:" + m.group(1));
                return new S3TestEndpoint(endpoint, access, secret, REGION, "S3Proxy on " + endpoint);
            }
            if (!process.isAlive()) {
                throw new AssertionError("S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("S3Proxy did not start within 60 s:\n" + Files.readString(log));
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public String region() {
        return region;
    }

    /** A client with the same credentials, for arranging and inspecting buckets. */
    public S3Client client() {
        return client;
    }

    /** A new, empty bucket. */
    public String createBucket() {
        String bucket =
                "ww-" + UUID.randomUUID().toString().toLowerCase(Locale.ROOT).substring(0, 18);
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    /** A store over a new bucket under {@code prefix} (empty or ending in {@code /}), with the default part size. */
    public S3BlobStore newBlobStore(String prefix) {
        return newBlobStore(createBucket(), prefix, S3BlobStore.DEFAULT_PART_SIZE, Optional.empty());
    }

    /** A store over {@code bucket}; {@code redirect}: presigned URLs of that lifetime. */
    public S3BlobStore newBlobStore(String bucket, String prefix, long partSize, Optional<Duration> redirect) {
        return S3BlobStore.connect(
                new S3BlobStore.Location(endpoint, region, true, bucket, prefix),
                accessKey,
                secretKey,
                partSize,
                redirect,
                new CompositeMeterRegistry());
    }

    @Override
    public String toString() {
        return description;
    }
}

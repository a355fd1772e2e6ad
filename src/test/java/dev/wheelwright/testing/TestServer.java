package dev.wheelwright.testing;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.auth.TokenService;
import dev.wheelwright.builds.Builds;
import dev.wheelwright.cli.Wiring;
import dev.wheelwright.config.ConfigLoader;
import dev.wheelwright.upload.UploadService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.ZipFile;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** The real server, in process, on 127.0.0.1 and a free port, over a data directory of the test's. */
public final class TestServer implements AutoCloseable {
    private final Wiring.Running running;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(Wiring.Running running) {
        this.running = running;
    }

    /** Starts a server whose config is the defaults plus {@code extraYaml} (top-level keys other than server/storage). */
    public static TestServer start(Path dataDir, String extraYaml) {
        String yaml = "server: {host: 127.0.0.1, port: 0}\nstorage: {data-dir: \"" + dataDir.toAbsolutePath() + "\"}\n"
                + extraYaml;
        return new TestServer(Wiring.start(new ConfigLoader(Map.of()).load(yaml)));
    }

    /**
     * Starts a server like {@link #start(Path, String)} with {@code env} as its environment (secrets) and
     * {@code builds} as its build port (e.g. {@code uploads -> inMemoryBuilds.storingWith(uploads)}).
     */
    public static TestServer start(
            Path dataDir, String extraYaml, Map<String, String> env, Function<UploadService, Builds> builds) {
        String yaml = "server: {host: 127.0.0.1, port: 0}\nstorage: {data-dir: \"" + dataDir.toAbsolutePath() + "\"}\n"
                + extraYaml;
        return new TestServer(Wiring.start(new ConfigLoader(Map.of()).load(yaml), env, Optional.of(builds)));
    }

    /** Starts a server like {@link #start(Path, String)} with {@code env} as its environment (secrets). */
    public static TestServer start(Path dataDir, String extraYaml, Map<String, String> env) {
        String yaml = "server: {host: 127.0.0.1, port: 0}\nstorage: {data-dir: \"" + dataDir.toAbsolutePath() + "\"}\n"
                + extraYaml;
        return new TestServer(Wiring.start(new ConfigLoader(Map.of()).load(yaml), env, Optional.empty()));
    }

    /**
     * Starts a server whose metadata store is {@code db} (a replica: several servers may share one database), with its
     * own data directory for artifacts and spool files, and the defaults plus {@code extraYaml}.
     */
    public static TestServer startOnPostgres(Path dataDir, PostgresService.TestDatabase db, String extraYaml) {
        String yaml = """
                server: {host: 127.0.0.1, port: 0}
                storage:
                  data-dir: "%s"
                  metadata: {type: postgres, url: "%s", user: "%s", password-env: WW_TEST_DB_PASSWORD, pool-size: 4}
                """.formatted(dataDir.toAbsolutePath(), db.url(), db.user()) + extraYaml;
        return new TestServer(Wiring.start(
                new ConfigLoader(Map.of()).load(yaml), Map.of("WW_TEST_DB_PASSWORD", db.password()), Optional.empty()));
    }

    /**
     * Starts a server whose config is the defaults plus {@code yaml} as a whole (its own {@code storage}; the server
     * key is set here), with {@code env} as its environment.
     */
    public static TestServer startWithStorage(String yaml, Map<String, String> env) {
        return new TestServer(Wiring.start(
                new ConfigLoader(Map.of()).load("server: {host: 127.0.0.1, port: 0}\n" + yaml), env, Optional.empty()));
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, "");
    }

    public Wiring.Running running() {
        return running;
    }

    public int port() {
        return running.port();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public String indexUrl() {
        return url("/simple/");
    }

    /** Creates a token directly in the store and returns its secret. */
    public String token(String name, Scope... scopes) {
        return token(name, Optional.empty(), scopes);
    }

    public String token(String name, Optional<String> projectGlob, Scope... scopes) {
        EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
        set.addAll(java.util.List.of(scopes));
        return new TokenService(running.store().tokens(), Clock.systemUTC())
                .create(name, set, projectGlob, Optional.empty())
                .token();
    }

    public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a multipart body to {@code /legacy/} with Basic {@code __token__:token} (no header when token is null). */
    public HttpResponse<String> upload(String token, Multipart form) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/legacy/")))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()));
        if (token != null) {
            b.header("Authorization", basic("__token__", token));
        }
        return send(b.build());
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The form twine 6 sends for a wheel: metadata fields read from the wheel, and all three digests. */
    public static Multipart twineForm(Path wheel) throws IOException {
        byte[] bytes = Files.readAllBytes(wheel);
        String metadata;
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            var entry = zip.stream()
                    .filter(e -> e.getName().endsWith(".dist-info/METADATA")
                            && e.getName().indexOf('/') == e.getName().lastIndexOf('/'))
                    .findFirst()
                    .orElseThrow();
            metadata = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
        String name = header(metadata, "Name");
        String filename = wheel.getFileName().toString();
        String pyversion = filename.split("-")[filename.split("-").length - 3];
        return new Multipart()
                .field(":action", "file_upload")
                .field("protocol_version", "1")
                .field("metadata_version", header(metadata, "Metadata-Version"))
                .field("name", name.replaceAll("[^A-Za-z0-9.]+", "-"))
                .field("version", header(metadata, "Version"))
                .field("filetype", "bdist_wheel")
                .field("pyversion", pyversion)
                .field("summary", header(metadata, "Summary"))
                .field("md5_digest", digest("MD5", bytes))
                .field("sha256_digest", digest("SHA-256", bytes))
                .field("blake2_256_digest", blake2b256(bytes))
                .file("content", wheel);
    }

    private static String header(String metadata, String field) {
        for (String line : metadata.split("\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.startsWith(field + ": ")) {
                return line.substring(field.length() + 2).strip();
            }
        }
        return "";
    }

    public static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String blake2b256(byte[] bytes) {
        Blake2bDigest d = new Blake2bDigest(256);
        d.update(bytes, 0, bytes.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }

    @Override
    public void close() {
        running.close();
    }
}

package dev.wheelwright.http;

import dev.wheelwright.common.Sha256;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.PackageType;
import dev.wheelwright.storage.ProjectCatalog;
import dev.wheelwright.storage.StoredFile;
import dev.wheelwright.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Measures the web UI (#10) over HTTP on loopback, warm: the project page of a project with 500 files and a 100 KB
 * Markdown README, and the home page and searches over 50,000 projects. A loopback round trip includes the server-side
 * render, so its figures bound the render from above. Run by scripts/bench-web.
 */
public final class WebPageBenchmark {
    private static final int FILES = 500;
    private static final int PROJECTS = 50_000;

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("wheelwright-bench-web");
        try (TestServer server = TestServer.start(data)) {
            ProjectCatalog catalog = server.running().store().catalog();
            Instant now = Instant.now();
            Path metadata = Files.writeString(data.resolve("METADATA"), readme());
            String metadataSha = String.format("%064x", 7);
            BlobKey metadataKey = BlobKey.forContent(metadataSha, ".metadata");
            server.running().blobs().put(metadataKey, metadata, Sha256.hex(metadata));
            for (int i = 0; i < FILES; i++) {
                String version = "1." + (i / 2) + ".0";
                boolean wheel = i % 2 == 1;
                String filename = wheel ? "bench-" + version + "-py3-none-any.whl" : "bench-" + version + ".tar.gz";
                String sha = String.format("%064x", i + 1);
                catalog.addFile(
                        new StoredFile(
                                ProjectName.parse("bench"),
                                Version.parse(version),
                                filename,
                                wheel ? PackageType.BDIST_WHEEL : PackageType.SDIST,
                                12_345 + i,
                                sha,
                                BlobKey.forContent(sha, ".whl"),
                                Optional.of(">=3.8"),
                                wheel ? Optional.of(metadataSha) : Optional.empty(),
                                wheel ? Optional.of(metadataKey) : Optional.empty(),
                                now.plusMillis(i),
                                Optional.empty(),
                                "bench"),
                        "bench",
                        "benchmark project");
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < PROJECTS; i++) {
                String name = "pkg-" + i;
                String sha = String.format("%064x", 1_000_000 + i);
                catalog.addFile(
                        new StoredFile(
                                ProjectName.parse(name),
                                Version.parse("1.0"),
                                "pkg_" + i + "-1.0.tar.gz",
                                PackageType.SDIST,
                                1000,
                                sha,
                                BlobKey.forContent(sha, ".tar.gz"),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                now,
                                Optional.empty(),
                                "bench"),
                        name,
                        "project number " + i + (i % 100 == 0 ? " with a parser" : ""));
            }
            System.out.printf("recorded %d projects in %.1f s%n", PROJECTS, (System.nanoTime() - t0) / 1e9);

            HttpClient http = HttpClient.newHttpClient();
            measure(http, server.url("/project/bench/"), 2_000, "project page, 500 files + 100 KB README");
            measure(http, server.url("/"), 500, "home page, 50,000 projects");
            measure(http, server.url("/?q=pkg-4999"), 500, "search ?q=pkg-4999 (exact + prefixes)");
            measure(http, server.url("/?q=parser"), 500, "search ?q=parser (summary matches)");
            measure(http, server.url("/?page=900"), 500, "home page 900 of 1,000");
        }
    }

    private static void measure(HttpClient http, String url, int n, String what) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        long[] nanos = new long[n];
        long bytes = 0;
        for (int i = 0; i < n / 5; i++) { // warm-up: JIT, caches
            http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
            bytes = r.body().length;
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        System.out.printf(
                "%-45s %8d bytes  n=%-5d mean %.3f ms  p50 %.3f ms  p99 %.3f ms%n",
                what, bytes, n, mean, nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6);
    }

    /** Core metadata with a 100 KB Markdown description: headings, paragraphs, lists, code and tables. */
    private static String readme() {
        StringBuilder d = new StringBuilder();
        int section = 0;
        while (d.length() < 100_000) {
            section++;
            d.append("## Section ")
                    .append(section)
                    .append("\n\nSome *text* with `code` and a [link](https://example.org/")
                    .append(section)
                    .append(").\n\n- one\n- two\n\n```python\nimport bench\nbench.run(")
                    .append(section)
                    .append(")\n```\n\n| option | default |\n| --- | --- |\n| retries | ")
                    .append(section)
                    .append(" |\n\n");
        }
        return "Metadata-Version: 2.1\nName: bench\nVersion: 1.249.0\nDescription-Content-Type: text/markdown\n\n" + d;
    }
}

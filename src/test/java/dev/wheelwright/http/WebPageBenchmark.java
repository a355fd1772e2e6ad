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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the web UI (#10) warm: the project page of a project with 500 files and a 100 KB Markdown README, and the
 * home page and searches over 50,000 projects; each as the server-side render (the server's own {@code Server-Timing})
 * and as the HTTP round trip on loopback. Run by scripts/bench-web.
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

    /**
     * Fetches {@code url} {@code n} times after a warm-up of a fifth of that, and prints two rows: the server-side
     * render as the server measured it (its {@code Server-Timing: render;dur=…}: access check, service calls and
     * template, from the handler's start to the rendered page) and the whole HTTP round trip on loopback.
     */
    private static void measure(HttpClient http, String url, int n, String what) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        double[] server = new double[n];
        double[] total = new double[n];
        long bytes = 0;
        for (int i = 0; i < n / 5; i++) { // warm-up: JIT, caches
            http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            total[i] = (System.nanoTime() - t) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
            Matcher m = SERVER_TIMING.matcher(
                    r.headers().firstValue("Server-Timing").orElse(""));
            if (!m.find()) {
                throw new IllegalStateException(url + " sent no Server-Timing render duration");
            }
            server[i] = Double.parseDouble(m.group(1));
            bytes = r.body().length;
        }
        print(what + " (server render)", bytes, server);
        print(what + " (HTTP round trip)", bytes, total);
    }

    private static final Pattern SERVER_TIMING = Pattern.compile("render;dur=([0-9.]+)");

    private static void print(String what, long bytes, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        System.out.printf(
                "%-62s %8d bytes  n=%-5d mean %.3f ms  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms%n",
                what,
                bytes,
                n,
                Arrays.stream(sorted).average().orElse(0),
                sorted[n / 2],
                sorted[(int) (n * 0.9)],
                sorted[(int) (n * 0.99)]);
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

package dev.wheelwright.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wheelwright.auth.Principal;
import dev.wheelwright.index.IndexService;
import dev.wheelwright.index.ProjectRevision;
import dev.wheelwright.python.ProjectName;
import dev.wheelwright.python.Version;
import dev.wheelwright.storage.BlobKey;
import dev.wheelwright.storage.PackageType;
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
 * Measures the simple page of a project with 500 files: cold render, warm (cached) render through the same path a
 * request takes (revision lookup in SQLite + cache), and full HTTP round trips on loopback. Run by scripts/bench.
 */
public final class SimplePageBenchmark {
    private static final int FILES = 500;

    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("wheelwright-bench");
        try (TestServer server = TestServer.start(data)) {
            for (int i = 0; i < FILES; i++) {
                String version = "1." + (i / 2) + ".0";
                String filename =
                        i % 2 == 0 ? "bench-" + version + ".tar.gz" : "bench-" + version + "-py3-none-any.whl";
                String sha = String.format("%064x", i + 1);
                server.running()
                        .store()
                        .catalog()
                        .addFile(
                                new StoredFile(
                                        ProjectName.parse("bench"),
                                        Version.parse(version),
                                        filename,
                                        i % 2 == 0 ? PackageType.SDIST : PackageType.BDIST_WHEEL,
                                        12_345 + i,
                                        sha,
                                        BlobKey.forContent(sha, ".whl"),
                                        Optional.of(">=3.8"),
                                        i % 2 == 0 ? Optional.empty() : Optional.of(sha),
                                        Optional.empty(),
                                        Instant.now(),
                                        Optional.empty(),
                                        "bench"),
                                "bench",
                                "benchmark project");
            }
            IndexService index = IndexService.local(
                    server.running().store().catalog(),
                    server.running().blobs(),
                    server.running().store().provenance());
            ProjectName name = ProjectName.parse("bench");

            long[] cold = new long[50];
            for (int i = 0; i < cold.length; i++) {
                SimplePages fresh = new SimplePages(new ObjectMapper(), Optional.empty());
                long t = System.nanoTime();
                ProjectRevision p = index.project(name, Principal.ANONYMOUS).orElseThrow();
                fresh.project(p, MediaTypes.V1_JSON, () -> index.listing(name, Principal.ANONYMOUS));
                cold[i] = System.nanoTime() - t;
            }
            SimplePages pages = new SimplePages(new ObjectMapper(), Optional.empty());
            long[] warm = new long[20_000];
            for (int i = 0; i < warm.length; i++) {
                long t = System.nanoTime();
                ProjectRevision p = index.project(name, Principal.ANONYMOUS).orElseThrow();
                pages.project(
                        p,
                        i % 2 == 0 ? MediaTypes.V1_JSON : MediaTypes.TEXT_HTML,
                        () -> index.listing(name, Principal.ANONYMOUS));
                warm[i] = System.nanoTime() - t;
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest json = HttpRequest.newBuilder(URI.create(server.url("/simple/bench/")))
                    .header("Accept", "application/vnd.pypi.simple.v1+json")
                    .build();
            long[] rtt = new long[5_000];
            long bytes = 0;
            for (int i = 0; i < rtt.length; i++) {
                long t = System.nanoTime();
                HttpResponse<byte[]> r = http.send(json, HttpResponse.BodyHandlers.ofByteArray());
                rtt[i] = System.nanoTime() - t;
                bytes = r.body().length;
            }
            System.out.printf("project page with %d files (%d bytes of JSON)%n", FILES, bytes);
            report("cold render (SQLite read + render JSON)", Arrays.copyOfRange(cold, 10, cold.length));
            report("warm page (revision check + cache hit)", Arrays.copyOfRange(warm, 5_000, warm.length));
            report("HTTP GET on loopback, warm", Arrays.copyOfRange(rtt, 1_000, rtt.length));
        }
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        System.out.printf(
                "%-45s n=%-6d mean %.3f ms  p50 %.3f ms  p99 %.3f ms%n",
                what, sorted.length, mean, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
    }
}

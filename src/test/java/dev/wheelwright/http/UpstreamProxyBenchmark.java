package dev.wheelwright.http;

import dev.wheelwright.auth.Scope;
import dev.wheelwright.common.Json;
import dev.wheelwright.testing.StaticIndexServer;
import dev.wheelwright.testing.TestServer;
import dev.wheelwright.upstream.PageParser;
import dev.wheelwright.upstream.UpstreamIndex;
import dev.wheelwright.upstream.http.HttpUpstreamIndex;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Upstream proxy latency on loopback: a cached proxied page and file against the same page and file hosted (uploaded)
 * on a second server, and the overhead of a cache miss against asking the upstream (a static server over
 * /opt/pypi) directly. Run by scripts/bench-upstream.
 */
public final class UpstreamProxyBenchmark {
    private static final Path MIRROR = Path.of("/opt/pypi");
    private static final String JSON = "application/vnd.pypi.simple.v1+json";
    private static final String WHEEL = "urllib3-2.8.0-py3-none-any.whl";
    // HTTP/1.1 as the proxy itself uses: the JDK client's h2c upgrade attempt adds ~40 ms per request to com.sun
    // servers
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        Path tmp = Files.createTempDirectory("wheelwright-bench-upstream");
        try (StaticIndexServer upstream = new StaticIndexServer(MIRROR);
                TestServer proxy = TestServer.start(
                        tmp.resolve("proxy"),
                        "upstreams:\n  - {name: mirror, url: \"" + upstream.indexUrl() + "\"}\n");
                TestServer hosted = TestServer.start(tmp.resolve("hosted"))) {
            hosted.upload(hosted.token("bench", Scope.UPLOAD), TestServer.twineForm(MIRROR.resolve("files/" + WHEEL)));
            get(proxy.url("/simple/urllib3/"), JSON);
            get(proxy.url("/files/urllib3/" + WHEEL), "*/*");

            report("page JSON, hosted", times(hosted.url("/simple/urllib3/"), JSON, 5_000));
            report("page JSON, proxied (cached)", times(proxy.url("/simple/urllib3/"), JSON, 5_000));
            report("page HTML, hosted", times(hosted.url("/simple/urllib3/"), "text/html", 5_000));
            report("page HTML, proxied (cached)", times(proxy.url("/simple/urllib3/"), "text/html", 5_000));
            report("file " + WHEEL + ", hosted", times(hosted.url("/files/urllib3/" + WHEEL), "*/*", 2_000));
            report("file " + WHEEL + ", proxied (cached)", times(proxy.url("/files/urllib3/" + WHEEL), "*/*", 2_000));

            List<String> projects;
            try (Stream<Path> dirs = Files.list(MIRROR.resolve("simple"))) {
                projects = dirs.filter(Files::isDirectory)
                        .map(p -> p.getFileName().toString())
                        .sorted()
                        .limit(300)
                        .toList();
            }
            // the direct request: the same JDK client settings the proxy uses, without the proxy around it
            HttpUpstreamIndex direct = new HttpUpstreamIndex(
                    "direct",
                    URI.create(upstream.indexUrl()),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    new PageParser(Json.newMapper()));
            long[] directNanos = new long[projects.size()];
            long[] miss = new long[projects.size()];
            List<String[]> wheels = new ArrayList<>();
            for (int i = 0; i < projects.size(); i++) {
                String name = projects.get(i);
                String page = get(upstream.indexUrl() + name + "/", "text/html"); // into the OS cache for both
                long t = System.nanoTime();
                direct.page(dev.wheelwright.python.ProjectName.parse(name), Optional.empty(), Optional.empty());
                directNanos[i] = System.nanoTime() - t;
                t = System.nanoTime();
                get(proxy.url("/simple/" + name + "/"), JSON);
                miss[i] = System.nanoTime() - t;
                Matcher m = Pattern.compile("files/([^\"#/]+\\.whl)#").matcher(page);
                if (m.find() && wheels.size() < 60) {
                    wheels.add(new String[] {name, m.group(1)});
                }
            }
            report(
                    "page miss: upstream page fetched + parsed directly (" + projects.size() + " projects)",
                    directNanos);
            report("page miss, through the proxy (fetch+parse+store)", miss);
            long[] fileDirect = new long[wheels.size()];
            long[] fileMiss = new long[wheels.size()];
            long bytes = 0;
            for (int i = 0; i < wheels.size(); i++) {
                String[] w = wheels.get(i);
                URI url = URI.create(upstream.indexUrl().replace("/simple/", "/files/") + w[1]);
                get(url.toString(), "*/*"); // into the OS cache for both
                long t = System.nanoTime();
                try (UpstreamIndex.Download d = direct.open(url)) {
                    bytes += d.body().transferTo(java.io.OutputStream.nullOutputStream());
                }
                fileDirect[i] = System.nanoTime() - t;
                t = System.nanoTime();
                get(proxy.url("/files/" + w[0].toLowerCase().replaceAll("[-_.]+", "-") + "/" + w[1]), "*/*");
                fileMiss[i] = System.nanoTime() - t;
            }
            System.out.printf("file misses: %d wheels, %.1f MB in total%n", wheels.size(), bytes / 1e6);
            report("file miss: upstream file read directly", fileDirect);
            report("file miss, through the proxy (fetch+verify+store)", fileMiss);
        }
    }

    private static long[] times(String url, String accept, int n) throws Exception {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            get(url, accept);
            nanos[i] = System.nanoTime() - t;
        }
        return Arrays.copyOfRange(nanos, n / 5, n); // drop warm-up
    }

    private static String get(String url, String accept) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.ISO_8859_1));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        System.out.printf(
                "%-58s n=%-5d mean %.3f ms  p50 %.3f ms  p99 %.3f ms%n",
                what, sorted.length, mean, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
    }
}

package dev.wheelwright.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged {@code target/wheelwright.jar} run as a separate process, as users run it. */
public final class JarProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private JarProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("wheelwright.jar", "target/wheelwright.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no packaged jar at " + jar + "; run the integration tests with mvn verify");
        }
        return jar;
    }

    /** Starts {@code serve} with {@code config} on a free loopback port and waits for /healthz. */
    public static JarProcess serve(Path config, Path workDir) throws IOException, InterruptedException {
        return serve(config, workDir, List.of());
    }

    /** Like {@link #serve(Path, Path)} with extra JVM options before {@code -jar} (e.g. {@code -Xmx256m}). */
    public static JarProcess serve(Path config, Path workDir, List<String> jvmOptions)
            throws IOException, InterruptedException {
        return serve(config, workDir, jvmOptions, Map.of());
    }

    /** Like {@link #serve(Path, Path, List)} with more environment variables (e.g. the ones secrets are read from). */
    public static JarProcess serve(Path config, Path workDir, List<String> jvmOptions, Map<String, String> env)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile(workDir, "server-", ".log");
        List<String> argv = new ArrayList<>(List.of("java"));
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-jar", jar().toAbsolutePath().toString(), "--config", config.toString(), "serve"));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("WHEELWRIGHT_SERVER_PORT", Integer.toString(port));
        pb.environment().put("WHEELWRIGHT_SERVER_HOST", "127.0.0.1");
        JarProcess server = new JarProcess(pb.start(), port, log);
        server.awaitHealthy();
        return server;
    }

    /** Runs one CLI command to completion and returns its exit code and output. */
    public static PythonTools.Run cli(Path config, Path workDir, String... args)
            throws IOException, InterruptedException {
        return cli(config, workDir, Map.of(), args);
    }

    /** Like {@link #cli(Path, Path, String...)} with more environment variables. */
    public static PythonTools.Run cli(Path config, Path workDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(
                List.of("java", "-jar", jar().toAbsolutePath().toString(), "--config", config.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("CLI timed out: " + String.join(" ", args));
        }
        return new PythonTools.Run(p.exitValue(), out);
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited early:\n" + output());
            }
            try {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create(url("/healthz")))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server did not become healthy:\n" + output());
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public long pid() {
        return process.pid();
    }

    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then wait for the graceful shutdown. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}

package dev.wheelwright;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wheelwright.testing.JarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar's logging without an XML file: the text format from the first line on, Jetty quiet, the access log
 * with the request's id; an operator's own Logback file ({@code -Dlogback.configurationFile}) decides instead.
 */
class TextLogsIT {
    /** {@code HH:mm:ss.SSS LEVEL [request id or -] logger - message}. */
    private static final String TEXT_LINE =
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) \\[[^]]+] \\S+ - .*";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void every_line_of_a_default_start_is_a_text_line_and_requests_carry_their_id() throws Exception {
        Path config = config("");
        List<String> lines;
        try (JarProcess server = JarProcess.serve(config, dir)) {
            assertThat(get(server, "/simple/", "text-root-1")).isEqualTo(200);
            assertThat(get(server, "/simple/no-such-project/", "text-missing-2"))
                    .isEqualTo(404);
            server.stop();
            lines = server.output().lines().toList();
        }

        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).matches(TEXT_LINE));
        assertThat(lines)
                .anySatisfy(l ->
                        assertThat(l).matches(".* INFO  \\[-] d\\.w\\.cli\\.ServeCommand - wheelwright serving .*"))
                .anySatisfy(l -> assertThat(l)
                        .matches(".* INFO  \\[text-root-1] dev\\.wheelwright\\.access - GET /simple/ 200 .*"))
                .anySatisfy(
                        l -> assertThat(l)
                                .matches(
                                        ".* \\[text-missing-2] dev\\.wheelwright\\.access - GET /simple/no-such-project/ 404 .*"))
                .as("Jetty and the pool are held at WARN")
                .noneSatisfy(l -> assertThat(l)
                        .matches(".* INFO  \\[[^]]+] (o\\.e\\.j|c\\.z\\.h|org\\.eclipse|com\\.zaxxer)\\S* - .*"));
    }

    @Test
    void an_operators_own_logback_file_decides_the_format() throws Exception {
        Path own = dir.resolve("own-logback.xml");
        Files.writeString(own, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>OWN %level %logger %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Path config = config("logging: {format: json}\n");
        List<String> lines;
        try (JarProcess server = JarProcess.serve(config, dir, List.of("-Dlogback.configurationFile=" + own))) {
            assertThat(get(server, "/simple/", "own-1")).isEqualTo(200);
            server.stop();
            lines = server.output().lines().toList();
        }

        assertThat(lines)
                .anySatisfy(
                        l -> assertThat(l).startsWith("OWN INFO dev.wheelwright.cli.ServeCommand wheelwright serving"))
                .anySatisfy(l -> assertThat(l).startsWith("OWN INFO dev.wheelwright.access GET /simple/ 200"))
                .noneSatisfy(l -> assertThat(l).startsWith("{"));
    }

    private Path config(String more) throws Exception {
        Path config = dir.resolve("wheelwright.yaml");
        Files.writeString(config, "storage: {data-dir: \"" + dir.resolve("data").toAbsolutePath() + "\"}\n" + more);
        return config;
    }

    private int get(JarProcess server, String path, String requestId) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(server.url(path)))
                                .header("X-Request-Id", requestId)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}

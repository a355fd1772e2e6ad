package dev.wheelwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Logback configured in code, on a context of its own (the tests' logging is left alone). */
class LogFormatTest {
    private final LoggerContext context = new LoggerContext();

    @Test
    void text_is_one_readable_line_with_the_request_id() {
        LogFormat.configure(context, "text");

        String line =
                encode(event("dev.wheelwright.http.DemoRoutes", Level.INFO, "hello", Map.of("request_id", "r-1")));
        String outside = encode(event("dev.wheelwright.cli.ServeCommand", Level.WARN, "bye", Map.of()));

        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[r-1] d\\.w\\.http\\.DemoRoutes - hello\\R");
        assertThat(outside).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[-] d\\.w\\.cli\\.ServeCommand - bye\\R");
    }

    @Test
    void json_is_one_object_per_line_with_the_mdc_and_no_context_properties() throws Exception {
        context.putProperty("HOSTNAME_LIKE", "not-logged");
        LogFormat.configure(context, "json");

        String line = encode(event("dev.wheelwright.access", Level.INFO, "GET / 200", Map.of("request_id", "r-2")));

        assertThat(line).endsWith("\n").doesNotContain("not-logged");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("message").asText()).isEqualTo("GET / 200");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger_name").asText()).isEqualTo("dev.wheelwright.access");
        assertThat(json.path("request_id").asText()).isEqualTo("r-2");
        assertThat(json.has("@timestamp")).isTrue();
    }

    @Test
    void everything_logs_at_info_but_the_libraries_held_at_warn() {
        for (String format : new String[] {"text", "json"}) {
            LogFormat.configure(context, format);

            assertThat(context.getLogger("dev.wheelwright.cli.Wiring").getEffectiveLevel())
                    .isEqualTo(Level.INFO);
            for (String quiet : new String[] {
                "org.eclipse.jetty.server.Server",
                "io.javalin.Javalin",
                "com.zaxxer.hikari.HikariDataSource",
                "org.flywaydb.core.Flyway"
            }) {
                assertThat(context.getLogger(quiet).getEffectiveLevel())
                        .as(quiet)
                        .isEqualTo(Level.WARN);
            }
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders())
                    .toIterable()
                    .hasSize(1);
        }
    }

    @Test
    void the_start_configurator_leaves_a_logback_test_xml_to_logback() {
        assertThat(getClass().getClassLoader().getResource("logback-test.xml"))
                .as("the tests' own file")
                .isNotNull();

        Configurator.ExecutionStatus status = new LogConfigurator().configure(context);

        assertThat(status).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders())
                .toIterable()
                .isEmpty();
    }

    private String encode(ILoggingEvent event) {
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>)
                context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    private LoggingEvent event(String logger, Level level, String message, Map<String, String> mdc) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerContext(context);
        event.setLoggerName(logger);
        event.setLevel(level);
        event.setMessage(message);
        event.setThreadName("main");
        event.setTimeStamp(System.currentTimeMillis());
        event.setMDCPropertyMap(mdc);
        return event;
    }
}

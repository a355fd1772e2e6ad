package dev.wheelwright.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wheelwright's Logback configuration, in code: one console appender in the format of {@code logging.format}, INFO
 * for everything but the libraries that are quiet unless something is wrong. {@link LogConfigurator} applies the
 * text format when Logback starts; {@link #apply} switches to the configured format. An operator's own file
 * ({@code -Dlogback.configurationFile}) is left alone: it decides the format itself. With {@link LogConfigurator}, the
 * only code that knows Logback.
 *
 * <p>Code rather than a {@code logback.xml}: Logback's XML configurator loads some 600 classes (its own and the JDK's
 * XML parser), a fifth of a second or more of every start.
 */
final class LogFormat {
    private LogFormat() {}

    /** The logger of the access log lines, one per request. */
    static final String ACCESS_LOGGER = "dev.wheelwright.access";

    /** The text format: time, level, the request's id ({@code -} outside requests), the logger, the message. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%X{request_id:--}] %logger{24} - %msg%n";

    /**
     * Libraries held at WARN: Jetty's DEBUG lines print raw request lines and headers (SECURITY.md); the web framework,
     * the pool and the schema check would speak on every command.
     */
    static final Map<String, Level> QUIET = Map.of(
            "org.eclipse.jetty", Level.WARN,
            "io.javalin", Level.WARN,
            "com.zaxxer.hikari", Level.WARN,
            "org.flywaydb", Level.WARN);

    /**
     * Switches to {@code format} ({@code text} or {@code json}, validated by the config loader); without {@code access}
     * the access log is off (whatever configured the format, an operator's own file included).
     */
    static void apply(String format, boolean access) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another SLF4J binding (tests may use one): it has its own configuration
        }
        if (System.getProperty("logback.configurationFile") == null) {
            configure(context, format);
        }
        if (!access) {
            context.getLogger(ACCESS_LOGGER).setLevel(Level.OFF);
        }
    }

    /** Replaces whatever {@code context} had with the console appender of {@code format} and the levels above. */
    static void configure(LoggerContext context, String format) {
        context.reset();
        Encoder<ILoggingEvent> encoder = format.equals("json") ? json() : text(context);
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        return encoder;
    }

    /** One JSON object per line: @timestamp, level, logger_name, thread_name, message, the MDC, stack_trace. */
    private static Encoder<ILoggingEvent> json() {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setIncludeContext(false); // no context properties
        return encoder;
    }
}

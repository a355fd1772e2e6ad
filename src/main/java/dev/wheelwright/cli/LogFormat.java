package dev.wheelwright.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.wheelwright.config.ConfigException;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging.format} to the process's Logback: reloads the shipped {@code logback.xml} with the console
 * appender of that format ({@code logback-text.xml} or {@code logback-json.xml}). An operator's own file ({@code -Dlogback.configurationFile}) is left
 * alone: it decides the format itself. The only code that knows Logback.
 */
final class LogFormat {
    private LogFormat() {}

    /** The logger of the access log lines, one per request. */
    static final String ACCESS_LOGGER = "dev.wheelwright.access";

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

    private static void configure(LoggerContext context, String format) {
        URL file = LogFormat.class.getClassLoader().getResource("logback.xml");
        if (file == null) {
            throw new ConfigException("invalid config: logging.format: the shipped logback.xml is missing");
        }
        context.reset();
        context.putProperty("LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(file);
        } catch (JoranException e) {
            throw new ConfigException("invalid config: logging.format: cannot configure logging: " + e.getMessage(), e);
        }
    }
}

package dev.wheelwright.cli;

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

    /** Switches to {@code format} ({@code text} or {@code json}, validated by the config loader). */
    static void apply(String format) {
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return; // another SLF4J binding (tests may use one): it has its own configuration
        }
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

package dev.wheelwright.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Captures the server's access log lines ({@code METHOD PATH STATUS ...}) while open. */
public final class AccessLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.wheelwright.access");
    private final Level previous;

    private AccessLog() {
        previous = logger.getLevel();
    }

    public static AccessLog capture() {
        AccessLog log = new AccessLog();
        log.setContext(log.logger.getLoggerContext());
        log.start();
        log.logger.addAppender(log);
        log.logger.setLevel(Level.INFO);
        return log;
    }

    @Override
    protected void append(ILoggingEvent event) {
        ids.add(event.getMDCPropertyMap().getOrDefault("request_id", "-") + " " + event.getFormattedMessage());
        lines.add(event.getFormattedMessage());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines, each after the request id it carried ({@code -} for none) and a space. */
    public List<String> linesWithIds() {
        return List.copyOf(ids);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setLevel(previous);
        stop();
    }
}

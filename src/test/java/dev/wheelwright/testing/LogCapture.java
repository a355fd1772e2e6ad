package dev.wheelwright.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the process (root logger, at a chosen level) while open, rendered as everything an
 * appender could write: logger, level, formatted message, MDC, and each throwable's class, message and stack. The
 * console appender is detached meanwhile so a DEBUG capture stays out of the build output.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level previous;
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private final List<Override> overridden = new ArrayList<>();

    private LogCapture() {
        previous = root.getLevel();
    }

    public static LogCapture root(Level level) {
        LogCapture capture = new LogCapture();
        capture.setContext(capture.root.getLoggerContext());
        capture.start();
        for (Iterator<Appender<ILoggingEvent>> it = capture.root.iteratorForAppenders(); it.hasNext(); ) {
            capture.detached.add(it.next());
        }
        capture.detached.forEach(capture.root::detachAppender);
        capture.root.addAppender(capture);
        capture.root.setLevel(level);
        return capture;
    }

    /**
     * Also sets {@code logger} to {@code level} while open (e.g. DEBUG for {@code dev.wheelwright} under an INFO
     * root); restored on close.
     */
    public LogCapture with(String logger, Level level) {
        Logger l = (Logger) LoggerFactory.getLogger(logger);
        overridden.add(new Override(l, l.getLevel()));
        l.setLevel(level);
        return this;
    }

    private record Override(Logger logger, Level previous) {}

    @java.lang.Override
    protected void append(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder()
                .append(event.getLevel())
                .append(' ')
                .append(event.getLoggerName())
                .append(' ')
                .append(event.getMDCPropertyMap())
                .append(' ')
                .append(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            sb.append("\n").append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                sb.append("\n\t").append(frame.getSTEAsString());
            }
        }
        events.add(sb.toString());
    }

    /** Every captured event, rendered. */
    public List<String> events() {
        return List.copyOf(events);
    }

    @java.lang.Override
    public void close() {
        overridden.forEach(o -> o.logger().setLevel(o.previous()));
        root.detachAppender(this);
        detached.forEach(root::addAppender);
        root.setLevel(previous);
        stop();
    }
}

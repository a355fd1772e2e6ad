package dev.wheelwright.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Configures Logback when it starts (named in {@code META-INF/services}): the text format of {@link LogFormat}, so no
 * XML is parsed. An operator's own file ({@code -Dlogback.configurationFile}) or a {@code logback.xml} or
 * {@code logback-test.xml} on the classpath is left to Logback's own configurators, as without this class.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = LogConfigurator.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogFormat.configure(context, "text");
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}

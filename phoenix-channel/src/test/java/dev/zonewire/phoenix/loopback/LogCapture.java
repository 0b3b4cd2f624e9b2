package dev.zonewire.phoenix.loopback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event at the levels a production deployment runs: DEBUG for zonewire's own
 * loggers, INFO for everything else (Jetty included), with the full text of messages and stack traces.
 */
final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger zonewire = (Logger) LoggerFactory.getLogger("dev.zonewire");
    private final Level rootLevel = root.getLevel();
    private final Level zonewireLevel = zonewire.getLevel();

    LogCapture() {
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        zonewire.setLevel(Level.DEBUG);
    }

    /** Every captured line: level, logger, formatted message and any stack trace. */
    List<String> lines() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(rootLevel);
        zonewire.setLevel(zonewireLevel);
    }
}

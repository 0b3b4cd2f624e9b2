package dev.zonewire.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Sets up Logback for one process: human-readable lines on stderr and, when a log directory is
 * given, JSON lines in {@code <dir>/<component>.log}, rotated by size to {@code
 * <component>.1.log} ... {@code <component>.<maxFiles-1>.log}, the oldest pruned.
 */
public final class Logging {
    /**
     * Jetty's debug logs print request URLs, and a portal URL carries the component's token, so
     * a plain {@code --log debug} keeps Jetty at INFO; only a filter naming Jetty lowers it.
     */
    private static final String JETTY = "org.eclipse.jetty";

    private static final String STDERR_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} %msg %kvp%n";

    private Logging() {}

    /** Replaces any earlier configuration of the process's logging. */
    public static void configure(LogSettings settings, String component) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(settings.filter().defaultLevel());
        for (Map.Entry<String, Level> entry : settings.filter().loggerLevels().entrySet()) {
            context.getLogger(entry.getKey()).setLevel(entry.getValue());
        }
        boolean jettyNamed = settings.filter().loggerLevels().keySet().stream().anyMatch(Logging::isJettyLogger);
        if (!jettyNamed && !settings.filter().defaultLevel().isGreaterOrEqual(Level.INFO)) {
            context.getLogger(JETTY).setLevel(Level.INFO);
        }
        root.addAppender(stderrAppender(context));
        if (settings.logDir() != null) {
            root.addAppender(fileAppender(context, settings, component));
        }
        boolean jettyLowered = settings.filter().loggerLevels().entrySet().stream()
                .anyMatch(entry -> isJettyLogger(entry.getKey()) && !entry.getValue().isGreaterOrEqual(Level.INFO));
        if (jettyLowered) {
            LoggerFactory.getLogger(Logging.class).warn(
                    "{} logs below INFO print request URLs, which carry portal tokens: do not share these logs", JETTY);
        }
    }

    /**
     * Stops the human-readable lines on stderr; the log files go on. A process that detached from
     * its terminal calls it once it is up, since nobody reads its stderr any more.
     */
    public static void stopStderr() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender("stderr");
    }

    private static boolean isJettyLogger(String name) {
        return name.equals(JETTY) || name.startsWith(JETTY + ".");
    }

    private static ConsoleAppender<ILoggingEvent> stderrAppender(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(STDERR_PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    private static RollingFileAppender<ILoggingEvent> fileAppender(
            LoggerContext context, LogSettings settings, String component) {
        Path dir = settings.logDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            String reason = e instanceof FileSystemException fs && fs.getReason() != null
                    ? fs.getReason()
                    : e.getClass().getSimpleName();
            throw new UncheckedIOException("cannot create log directory " + dir + " (" + reason + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("log directory " + dir + " is not writable");
        }
        JsonLinesEncoder encoder = new JsonLinesEncoder();
        encoder.setContext(context);
        encoder.start();

        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("json-file");
        appender.setFile(dir.resolve(component + ".log").toString());
        appender.setEncoder(encoder);

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(dir.resolve(component + ".%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(Math.max(1, settings.maxFiles() - 1));
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(settings.maxFileBytes()));
        // Logback checks the size once a minute by default, so a burst could outgrow the limit.
        trigger.setCheckIncrement(Duration.buildByMilliseconds(0));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.start();
        return appender;
    }
}

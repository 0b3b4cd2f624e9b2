package dev.zonewire.cli.logging;

import ch.qos.logback.classic.Level;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which events to log, written as one string: a default level and per-logger levels, e.g.
 * {@code info,dev.zonewire.relay=debug,org.eclipse.jetty=warn}. A logger level applies to the
 * named logger and everything below it (a package name covers its classes).
 */
public record LogFilter(Level defaultLevel, Map<String, Level> loggerLevels) {

    public static final String DEFAULT = "info";

    public LogFilter {
        loggerLevels = Map.copyOf(loggerLevels);
    }

    /** Parses a filter string; the message of the exception says which part is wrong. */
    public static LogFilter parse(String text) {
        Level defaultLevel = Level.INFO;
        Map<String, Level> loggerLevels = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String directive = part.strip();
            if (directive.isEmpty()) {
                continue;
            }
            int equals = directive.indexOf('=');
            if (equals < 0) {
                defaultLevel = level(directive);
                continue;
            }
            String logger = directive.substring(0, equals).strip();
            if (logger.isEmpty()) {
                throw new IllegalArgumentException(
                        "log filter directive '" + directive + "' has no logger name before '='");
            }
            loggerLevels.put(logger, level(directive.substring(equals + 1).strip()));
        }
        return new LogFilter(defaultLevel, loggerLevels);
    }

    private static Level level(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARN;
            case "error" -> Level.ERROR;
            case "off" -> Level.OFF;
            default -> throw new IllegalArgumentException(
                    "unknown log level '" + name + "' (use trace, debug, info, warn, error or off)");
        };
    }
}

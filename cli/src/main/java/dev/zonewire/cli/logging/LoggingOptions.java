package dev.zonewire.cli.logging;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The logging flags every zonewire command accepts. */
public final class LoggingOptions {

    @Option(
            names = "--log",
            paramLabel = "FILTER",
            defaultValue = LogFilter.DEFAULT,
            converter = FilterConverter.class,
            scope = ScopeType.INHERIT,
            description = "Which events to log: a default level, then per-logger levels, "
                    + "e.g. info,dev.zonewire.relay=debug.")
    LogFilter filter;

    @Option(
            names = "--log-dir",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "Also write JSON-lines log files into this directory.")
    Path logDir;

    @Option(
            names = "--log-max-file-size",
            paramLabel = "SIZE",
            defaultValue = "50MB",
            converter = SizeConverter.class,
            scope = ScopeType.INHERIT,
            description = "Rotate a log file when it reaches this size (bytes, or with KB, MB, GB).")
    long maxFileBytes;

    @Option(
            names = "--log-max-files",
            paramLabel = "N",
            defaultValue = "10",
            scope = ScopeType.INHERIT,
            description = "Keep this many log files per component, the current one included.")
    int maxFiles;

    public LogSettings settings() {
        return new LogSettings(filter, logDir, maxFileBytes, maxFiles);
    }

    static final class FilterConverter implements ITypeConverter<LogFilter> {
        @Override
        public LogFilter convert(String value) {
            return LogFilter.parse(value);
        }
    }

    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String text = value.strip().toUpperCase(Locale.ROOT);
            long unit = 1;
            for (String[] suffix : new String[][] {{"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"}, {"B", "1"}}) {
                if (text.endsWith(suffix[0])) {
                    unit = Long.parseLong(suffix[1]);
                    text = text.substring(0, text.length() - suffix[0].length()).strip();
                    break;
                }
            }
            try {
                return Math.multiplyExact(Long.parseLong(text), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + value + "' is not a size such as 50MB or 1048576");
            }
        }
    }
}

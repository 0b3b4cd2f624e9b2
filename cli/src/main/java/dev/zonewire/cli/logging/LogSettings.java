package dev.zonewire.cli.logging;

import java.nio.file.Path;

/**
 * How a process logs.
 *
 * @param filter which events to log
 * @param logDir where JSON-lines files go, or null for stderr only
 * @param maxFileBytes size at which the current file is rotated
 * @param maxFiles how many files are kept, the current one included
 */
public record LogSettings(LogFilter filter, Path logDir, long maxFileBytes, int maxFiles) {
    /** Logback's fixed-window rotation keeps at most 20 rotated files. */
    public static final int MAX_FILES = 21;

    public LogSettings {
        if (maxFileBytes < 1024) {
            throw new IllegalArgumentException("log files must be allowed at least 1 KiB, not " + maxFileBytes + " bytes");
        }
        if (maxFiles < 2 || maxFiles > MAX_FILES) {
            throw new IllegalArgumentException(
                    "keep between 2 and " + MAX_FILES + " log files (the current one included), not " + maxFiles);
        }
    }
}

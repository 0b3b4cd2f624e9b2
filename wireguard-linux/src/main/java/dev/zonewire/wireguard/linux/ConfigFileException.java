package dev.zonewire.wireguard.linux;

/**
 * A configuration file that cannot be used. The message names the file and, where there is one,
 * the line: {@code wg0.conf:7: PublicKey: ...}. It never repeats a key.
 */
public final class ConfigFileException extends Exception {
    private final int line;

    ConfigFileException(String file, int line, String problem) {
        super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
        this.line = line;
    }

    /** The line of the mistake, from 1; 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}

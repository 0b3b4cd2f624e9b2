package dev.zonewire.relay.driver;

import java.util.Locale;

/** Bytes per second for humans, as the reference's stats line prints them (factor 1000, two decimals). */
public final class Throughput {
    private static final String[] UNITS = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};

    private Throughput() {
    }

    public static String format(double bytesPerSecond) {
        int unit = 0;
        while (bytesPerSecond >= 1000 && unit < UNITS.length - 1) {
            bytesPerSecond /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", bytesPerSecond, UNITS[unit]);
    }
}

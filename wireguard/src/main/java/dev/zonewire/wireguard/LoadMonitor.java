package dev.zonewire.wireguard;

/**
 * Decides when the tunnel is "under load": more handshake messages in a one-second window than the
 * configured limit. It then stays under load for UNDER_LOAD_AFTER_TIME after the last busy window.
 */
final class LoadMonitor {
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final int handshakesPerSecond;
    private boolean windowStarted;
    private long windowStart;
    private int handshakesInWindow;
    private boolean everUnderLoad;
    private long underLoadUntil;

    LoadMonitor(int handshakesPerSecond) {
        this.handshakesPerSecond = handshakesPerSecond;
    }

    /** Counts one handshake message and tells whether the tunnel is now under load. */
    boolean recordHandshake(long now) {
        if (!windowStarted || now - windowStart >= WINDOW_NANOS) {
            windowStarted = true;
            windowStart = now;
            handshakesInWindow = 0;
        }
        handshakesInWindow++;
        if (handshakesInWindow > handshakesPerSecond) {
            everUnderLoad = true;
            underLoadUntil = now + Protocol.UNDER_LOAD_AFTER_TIME_NANOS;
        }
        return isUnderLoad(now);
    }

    boolean isUnderLoad(long now) {
        return everUnderLoad && now - underLoadUntil < 0;
    }
}

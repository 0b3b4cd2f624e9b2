package dev.zonewire.wireguard;

/** One of a peer's timers: an instant in monotonic nanoseconds, or unset. */
final class Deadline {
    private boolean armed;
    private long at;

    void arm(long instant) {
        armed = true;
        at = instant;
    }

    void disarm() {
        armed = false;
    }

    boolean isArmed() {
        return armed;
    }

    /** True, and the timer unset, when it was armed for {@code now} or earlier. */
    boolean fire(long now) {
        if (armed && now - at >= 0) {
            armed = false;
            return true;
        }
        return false;
    }

    /** The earlier of {@code other} and this deadline. */
    long earliest(long other) {
        return armed && at < other ? at : other;
    }
}

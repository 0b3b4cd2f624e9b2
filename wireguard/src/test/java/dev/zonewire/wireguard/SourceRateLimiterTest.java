package dev.zonewire.wireguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The per-address token bucket applied to handshakes under load. */
class SourceRateLimiterTest {
    private static final long MILLISECOND = 1_000_000L;

    @Test
    void anAddressGetsABurstThenTwentyASecond() throws UnknownHostException {
        SourceRateLimiter limiter = new SourceRateLimiter();
        InetAddress source = InetAddress.getByName("192.0.2.1");
        int burst = 0;
        while (limiter.allow(source, 0)) {
            burst++;
        }

        int inTheNextSecond = 0;
        for (long millis = 1; millis <= 1000; millis++) {
            inTheNextSecond += limiter.allow(source, millis * MILLISECOND) ? 1 : 0;
        }

        assertThat(burst).isEqualTo(4);
        assertThat(inTheNextSecond).isEqualTo(20);
    }

    @Test
    void addressesAreLimitedIndependently() throws UnknownHostException {
        SourceRateLimiter limiter = new SourceRateLimiter();
        InetAddress busy = InetAddress.getByName("192.0.2.1");
        while (limiter.allow(busy, 0)) {
            // spend the burst
        }

        assertThat(limiter.allow(InetAddress.getByName("192.0.2.2"), 0)).isTrue();
    }

    @Test
    void theTableHoldsABoundedNumberOfAddressesUntilIdleOnesAreSwept() throws UnknownHostException {
        SourceRateLimiter limiter = new SourceRateLimiter();
        for (int i = 0; i < SourceRateLimiter.MAX_SOURCES; i++) {
            limiter.allow(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), 0);
        }
        InetAddress latecomer = InetAddress.getByName("192.0.2.9");

        boolean whileFull = limiter.allow(latecomer, 0);
        limiter.sweep(SourceRateLimiter.SWEEP_INTERVAL_NANOS + 1);
        boolean afterSweep = limiter.allow(latecomer, SourceRateLimiter.SWEEP_INTERVAL_NANOS + 1);

        assertThat(whileFull).isFalse();
        assertThat(afterSweep).isTrue();
    }
}

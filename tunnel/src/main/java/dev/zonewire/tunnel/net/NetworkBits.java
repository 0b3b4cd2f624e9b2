package dev.zonewire.tunnel.net;

/**
 * An IP network in the bit form of {@link Addresses}: containment tests on the packet paths without
 * allocating. Made once from an {@link IpNetwork}.
 */
public record NetworkBits(int version, long high, long low, int prefixLength) {

    public static NetworkBits of(IpNetwork network) {
        var address = Addresses.of(network.address());
        return new NetworkBits(address.version(), Addresses.high(address), Addresses.low(address), network.prefixLength());
    }

    public boolean contains(int version, long high, long low) {
        if (version != this.version) {
            return false;
        }
        if (version == 4) {
            return prefixLength == 0 || ((low ^ this.low) & 0xFFFF_FFFFL) >>> (32 - prefixLength) == 0;
        }
        if (prefixLength <= 64) {
            return prefixLength == 0 || (high ^ this.high) >>> (64 - prefixLength) == 0;
        }
        return high == this.high && (low ^ this.low) >>> (128 - prefixLength) == 0;
    }
}

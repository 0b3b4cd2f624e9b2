package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.DatagramBatch;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The source address of received datagrams as an {@link InetSocketAddress}, which the tunnel takes
 * to learn a roaming peer's endpoint. The last few senders are remembered, so that a steady flow
 * from a handful of peers reuses the same objects instead of allocating one per datagram. Not
 * thread-safe: one per receiving thread.
 */
final class SenderCache {
    private static final int ENTRIES = 16;

    private final byte[][] addresses = new byte[ENTRIES][];
    private final int[] ports = new int[ENTRIES];
    private final InetSocketAddress[] senders = new InetSocketAddress[ENTRIES];
    private final byte[] scratch = new byte[16];

    /** The sender of slot {@code slot} of a received batch. */
    InetSocketAddress sender(DatagramBatch batch, int slot) {
        int length = batch.remoteAddress(slot, scratch);
        int port = batch.remotePort(slot);
        int hash = port;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + scratch[i];
        }
        int entry = (hash ^ (hash >>> 16)) & (ENTRIES - 1);
        byte[] address = addresses[entry];
        if (address != null && ports[entry] == port
                && Arrays.equals(address, 0, address.length, scratch, 0, length)) {
            return senders[entry];
        }
        byte[] copy = Arrays.copyOf(scratch, length);
        addresses[entry] = copy;
        ports[entry] = port;
        senders[entry] = new InetSocketAddress(Addresses.byAddress(copy), port);
        return senders[entry];
    }
}

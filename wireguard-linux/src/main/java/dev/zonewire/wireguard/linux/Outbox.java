package dev.zonewire.wireguard.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.zonewire.platform.linux.DatagramBatch;
import dev.zonewire.platform.linux.UdpSocket;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.function.Supplier;

/**
 * The datagrams one thread sends, collected between two flushes. Consecutive datagrams to the
 * same endpoint share a slot for UDP segmentation offload (GSO) as long as they have the same
 * length (a shorter one may end the slot), so a burst of sealed TCP segments leaves in one
 * system call and crosses the stack once. Not thread-safe: every packet thread has its own.
 */
final class Outbox implements AutoCloseable {
    /**
     * The most bytes one send (a GSO slot) may carry: the kernel refuses a larger UDP payload
     * (65,535 less the IPv4 and UDP headers) with EMSGSIZE.
     */
    static final int MAX_SEND_BYTES = 65_535 - 20 - 8;

    private final Supplier<UdpBinding> binding;
    private final DeviceCounters counters;
    private final Family ipv4;
    private final Family ipv6;

    /**
     * @param slots datagram slots per address family, each of 64 KiB
     * @param segmentation whether slots may hold several datagrams (GSO)
     */
    Outbox(int slots, boolean segmentation, Supplier<UdpBinding> binding, DeviceCounters counters) {
        this.binding = binding;
        this.counters = counters;
        this.ipv4 = new Family(slots, segmentation);
        this.ipv6 = new Family(slots, segmentation);
    }

    /** Queues {@code data[offset, offset+length)} for {@code destination}; sends early if the batch is full. */
    void add(InetSocketAddress destination, byte[] data, int offset, int length) {
        Family family = destination.getAddress() instanceof Inet4Address ? ipv4 : ipv6;
        if (!family.append(destination, data, offset, length)) {
            flush(family);
            family.append(destination, data, offset, length);
        }
    }

    /** Sends everything queued. A datagram that cannot leave is counted, never thrown. */
    void flush() {
        flush(ipv4);
        flush(ipv6);
    }

    @Override
    public void close() {
        ipv4.close();
        ipv6.close();
    }

    private void flush(Family family) {
        if (family.finishBatch() == 0) {
            return;
        }
        DatagramBatch batch = family.batch;
        UdpBinding current = binding.get();
        UdpSocket socket = family == ipv4 ? current.ipv4 : current.ipv6;
        try {
            if (socket == null) {
                counters.noSocket.add(family.datagrams);
                return;
            }
            // A socket takes one sending thread at a time; the packet threads and UAPI share it.
            synchronized (socket) {
                socket.send(batch);
            }
        } catch (ClosedChannelException e) {
            counters.noSocket.add(family.datagrams); // the socket was re-bound under us: these are lost
        } catch (IOException e) {
            counters.sendErrors.add(family.datagrams);
        } finally {
            family.clear();
        }
    }

    /** One address family's batch (allocated when first used) and the slot being filled. */
    private static final class Family {
        private final int capacity;
        final boolean segmentation;
        DatagramBatch batch;
        int slots;
        int datagrams;
        InetSocketAddress slotDestination;
        int slotLength;
        int slotSegment;
        int slotCount;
        boolean slotClosed;
        private InetSocketAddress cachedDestination;
        private byte[] cachedAddress;

        Family(int capacity, boolean segmentation) {
            this.capacity = capacity;
            this.segmentation = segmentation;
        }

        /** Adds the datagram to the open slot or a new one; false when the batch is full. */
        boolean append(InetSocketAddress destination, byte[] data, int offset, int length) {
            if (batch == null) {
                batch = DatagramBatch.allocate(capacity, 65535);
            }
            if (fitsOpenSlot(destination, length)) {
                MemorySegment.copy(data, offset, batch.slot(slots - 1), JAVA_BYTE, slotLength, length);
                slotLength += length;
                slotCount++;
                slotClosed = length < slotSegment;
                datagrams++;
                return true;
            }
            if (slots == batch.capacity()) {
                return false;
            }
            if (slots > 0) {
                closeSlot();
            }
            MemorySegment.copy(data, offset, batch.slot(slots), JAVA_BYTE, 0, length);
            batch.setRemote(slots, addressBytes(destination), destination.getPort());
            slots++;
            slotDestination = destination;
            slotLength = length;
            slotSegment = length;
            slotCount = 1;
            slotClosed = false;
            datagrams++;
            return true;
        }

        private boolean fitsOpenSlot(InetSocketAddress destination, int length) {
            return segmentation && slots > 0 && !slotClosed && length <= slotSegment
                    && slotCount < UdpSocket.MAX_GSO_SEGMENTS && slotLength + length <= MAX_SEND_BYTES
                    && (destination == slotDestination || destination.equals(slotDestination));
        }

        private void closeSlot() {
            batch.setLength(slots - 1, slotLength);
            batch.setSegmentSize(slots - 1, slotCount > 1 ? slotSegment : 0);
        }

        int finishBatch() {
            if (slots > 0) {
                closeSlot();
            }
            if (batch != null) {
                batch.setSize(slots);
            }
            return slots;
        }

        void clear() {
            slots = 0;
            datagrams = 0;
            slotDestination = null;
            batch.clear();
        }

        void close() {
            if (batch != null) {
                batch.close();
            }
        }

        /** The address bytes of the last destination are reused: {@code getAddress()} copies them every call. */
        private byte[] addressBytes(InetSocketAddress destination) {
            if (destination != cachedDestination) {
                cachedDestination = destination;
                cachedAddress = destination.getAddress().getAddress();
            }
            return cachedAddress;
        }
    }
}

package dev.zonewire.platform.linux;

import static dev.zonewire.platform.linux.Checksums.SHORT_BE;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/**
 * The few header reads and in-place rewrites the TUN tests need to answer the kernel: swapping
 * addresses and ports (which leaves every checksum valid) and turning an echo request into its
 * reply. Not a packet library: packets are assumed well formed, without IP options or IPv6
 * extension headers, as the kernel sends them here.
 */
final class TestPackets {
    static final int ICMP = 1;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMPV6 = 58;

    private TestPackets() {
    }

    static boolean isIpv4(MemorySegment packet) {
        return (packet.get(JAVA_BYTE, 0) & 0xf0) == 0x40;
    }

    static int protocol(MemorySegment packet) {
        return packet.get(JAVA_BYTE, isIpv4(packet) ? 9 : 6) & 0xff;
    }

    static int transportOffset(MemorySegment packet) {
        return isIpv4(packet) ? (packet.get(JAVA_BYTE, 0) & 0x0f) * 4 : 40;
    }

    static int destinationPort(MemorySegment packet) {
        return packet.get(SHORT_BE, transportOffset(packet) + 2) & 0xffff;
    }

    static int icmpType(MemorySegment packet) {
        return packet.get(JAVA_BYTE, transportOffset(packet)) & 0xff;
    }

    static int tcpFlags(MemorySegment packet) {
        return packet.get(JAVA_BYTE, transportOffset(packet) + 13) & 0xff;
    }

    static byte[] udpPayload(MemorySegment packet, int length) {
        int start = transportOffset(packet) + 8;
        return packet.asSlice(start, length - start).toArray(JAVA_BYTE);
    }

    /** Swaps source and destination address, and ports for TCP/UDP; all checksums stay valid. */
    static void swapEnds(MemorySegment packet) {
        int addressOffset = isIpv4(packet) ? 12 : 8;
        int addressLength = isIpv4(packet) ? 4 : 16;
        swap(packet, addressOffset, addressOffset + addressLength, addressLength);
        int protocol = protocol(packet);
        if (protocol == TCP || protocol == UDP) {
            int transport = transportOffset(packet);
            swap(packet, transport, transport + 2, 2);
        }
    }

    /** Turns an ICMP or ICMPv6 echo request into the matching reply, checksum included. */
    static void echoRequestToReply(MemorySegment packet, int length) {
        swapEnds(packet);
        int icmp = transportOffset(packet);
        boolean ipv4 = isIpv4(packet);
        packet.set(JAVA_BYTE, icmp, (byte) (ipv4 ? 0 : 129));
        packet.set(SHORT_BE, icmp + 2, (short) 0);
        long sum = ipv4 ? 0 : Checksums.pseudoHeader(packet, false, ICMPV6, length - icmp);
        packet.set(SHORT_BE, icmp + 2, Checksums.complement(Checksums.add(packet, icmp, length - icmp, sum)));
    }

    private static void swap(MemorySegment packet, int a, int b, int length) {
        byte[] first = packet.asSlice(a, length).toArray(JAVA_BYTE);
        MemorySegment.copy(packet, b, packet, a, length);
        MemorySegment.copy(first, 0, packet, JAVA_BYTE, b, length);
    }
}

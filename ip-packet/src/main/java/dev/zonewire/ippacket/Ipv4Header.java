package dev.zonewire.ippacket;

import java.nio.ByteBuffer;

/** The IPv4 header of a valid packet, options included (RFC 791). A view owned by its {@link IpPacket}. */
public final class Ipv4Header {

    public static final int OPTION_END_OF_LIST = 0;
    public static final int OPTION_NO_OPERATION = 1;

    static final int DONT_FRAGMENT = 0x4000;
    static final int MORE_FRAGMENTS_AND_OFFSET = 0x3FFF;

    private final IpPacket packet;

    Ipv4Header(IpPacket packet) {
        this.packet = packet;
    }

    /** The whole second byte: DSCP in the high six bits, ECN in the low two. */
    public int typeOfService() {
        return byteAt(1);
    }

    public int dscp() {
        return typeOfService() >>> 2;
    }

    public int ecn() {
        return typeOfService() & 0x3;
    }

    public int totalLength() {
        return shortAt(2);
    }

    public int identification() {
        return shortAt(4);
    }

    public boolean dontFragment() {
        return (shortAt(6) & DONT_FRAGMENT) != 0;
    }

    public int ttl() {
        return byteAt(8);
    }

    public int headerChecksum() {
        return shortAt(10);
    }

    /** The source address, first octet in the high byte (compare with {@link Ipv4Address#bits()}). */
    public int source() {
        return buffer().getInt(packet.start() + 12);
    }

    public int destination() {
        return buffer().getInt(packet.start() + 16);
    }

    /** Length of the options, padding included: the header length minus 20. */
    public int optionsLength() {
        return packet.headerLength() - 20;
    }

    /** Number of options before the end-of-list option (no-operation options count). */
    public int optionCount() {
        int count = 0;
        while (optionIndex(count) >= 0) {
            count++;
        }
        return count;
    }

    /** The type byte of option {@code n}, copied-flag and class included. */
    public int optionType(int n) {
        return buffer().get(requireOption(n)) & 0xFF;
    }

    /** Index in the buffer of option {@code n}'s type byte. */
    public int optionIndex(int n) {
        ByteBuffer buffer = buffer();
        int end = packet.start() + packet.headerLength();
        int index = packet.start() + 20;
        for (int i = 0; index < end; i++) {
            int type = buffer.get(index) & 0xFF;
            if (type == OPTION_END_OF_LIST) {
                return -1;
            }
            if (i == n) {
                return index;
            }
            index += type == OPTION_NO_OPERATION ? 1 : buffer.get(index + 1) & 0xFF;
        }
        return -1;
    }

    /** The length of option {@code n}, type and length bytes included (1 for no-operation). */
    public int optionLength(int n) {
        int index = requireOption(n);
        return optionType(n) == OPTION_NO_OPERATION ? 1 : buffer().get(index + 1) & 0xFF;
    }

    /** True when every option between {@code from} and {@code to} has a length of at least 2 and fits. */
    static boolean optionsWellFormed(ByteBuffer buffer, int from, int to) {
        int index = from;
        while (index < to) {
            int type = buffer.get(index) & 0xFF;
            if (type == OPTION_END_OF_LIST) {
                return true;
            }
            if (type == OPTION_NO_OPERATION) {
                index++;
                continue;
            }
            if (index + 1 >= to) {
                return false;
            }
            int length = buffer.get(index + 1) & 0xFF;
            if (length < 2 || index + length > to) {
                return false;
            }
            index += length;
        }
        return true;
    }

    private int requireOption(int n) {
        int index = optionIndex(n);
        if (index < 0) {
            throw new IndexOutOfBoundsException("no IPv4 option " + n);
        }
        return index;
    }

    private ByteBuffer buffer() {
        packet.ipv4();
        return packet.rawBuffer();
    }

    private int byteAt(int offset) {
        return buffer().get(packet.start() + offset) & 0xFF;
    }

    private int shortAt(int offset) {
        return buffer().getShort(packet.start() + offset) & 0xFFFF;
    }
}

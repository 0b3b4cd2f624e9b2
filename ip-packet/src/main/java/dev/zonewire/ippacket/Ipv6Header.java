package dev.zonewire.ippacket;

import java.nio.ByteBuffer;

/** The IPv6 header of a valid packet and its extension headers (RFC 8200). A view owned by its {@link IpPacket}. */
public final class Ipv6Header {

    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int AUTHENTICATION = 51;
    public static final int NO_NEXT_HEADER = 59;
    public static final int DESTINATION_OPTIONS = 60;
    public static final int MOBILITY = 135;
    public static final int HOST_IDENTITY = 139;
    public static final int SHIM6 = 140;

    private final IpPacket packet;

    Ipv6Header(IpPacket packet) {
        this.packet = packet;
    }

    public int trafficClass() {
        return firstWord() >>> 20 & 0xFF;
    }

    public int flowLabel() {
        return firstWord() & 0xF_FFFF;
    }

    public int payloadLength() {
        return buffer().getShort(packet.start() + 4) & 0xFFFF;
    }

    /** The next header field of the fixed header: the first extension header, or the upper-layer protocol if there is none. */
    public int nextHeader() {
        return buffer().get(packet.start() + 6) & 0xFF;
    }

    public int hopLimit() {
        return buffer().get(packet.start() + 7) & 0xFF;
    }

    public long sourceHigh() {
        return buffer().getLong(packet.start() + 8);
    }

    public long sourceLow() {
        return buffer().getLong(packet.start() + 16);
    }

    public long destinationHigh() {
        return buffer().getLong(packet.start() + 24);
    }

    public long destinationLow() {
        return buffer().getLong(packet.start() + 32);
    }

    public int extensionHeaderCount() {
        int count = 0;
        while (extensionHeaderIndex(count) >= 0) {
            count++;
        }
        return count;
    }

    /** The type of extension header {@code n} (as named by the next header field before it). */
    public int extensionHeaderType(int n) {
        requireExtensionHeader(n);
        return n == 0 ? nextHeader() : buffer().get(extensionHeaderIndex(n - 1)) & 0xFF;
    }

    /** Index in the buffer of extension header {@code n}, or -1 if there are fewer. */
    public int extensionHeaderIndex(int n) {
        ByteBuffer buffer = buffer();
        int next = nextHeader();
        int index = packet.start() + 40;
        for (int i = 0; index < packet.transportIndex(); i++) {
            if (i == n) {
                return index;
            }
            int length = extensionHeaderLength(buffer, next, index);
            next = buffer.get(index) & 0xFF;
            index += length;
        }
        return -1;
    }

    public int extensionHeaderLength(int n) {
        int index = requireExtensionHeader(n);
        return extensionHeaderLength(buffer(), extensionHeaderType(n), index);
    }

    static boolean isExtensionHeader(int next) {
        return switch (next) {
            case HOP_BY_HOP, ROUTING, FRAGMENT, AUTHENTICATION, DESTINATION_OPTIONS, MOBILITY, HOST_IDENTITY, SHIM6 -> true;
            default -> false;
        };
    }

    /** The length of the extension header at {@code index}; the authentication header counts 4-byte units, the others 8-byte units. */
    static int extensionHeaderLength(ByteBuffer buffer, int type, int index) {
        int units = buffer.get(index + 1) & 0xFF;
        return type == AUTHENTICATION ? (units + 2) * 4 : (units + 1) * 8;
    }

    private int requireExtensionHeader(int n) {
        int index = extensionHeaderIndex(n);
        if (index < 0) {
            throw new IndexOutOfBoundsException("no extension header " + n);
        }
        return index;
    }

    private int firstWord() {
        return buffer().getInt(packet.start());
    }

    private ByteBuffer buffer() {
        packet.ipv6();
        return packet.rawBuffer();
    }
}

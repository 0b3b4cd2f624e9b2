package dev.zonewire.platform.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Writes one netlink request into a reusable buffer: the {@code nlmsghdr}, the family header
 * field by field, then attributes, each padded to 4 bytes as netlink requires. Native byte
 * order, except where the caller passes network-order bytes (addresses).
 */
final class NetlinkMessage {
    static final int HEADER_SIZE = 16;

    private final MemorySegment buffer;
    private int position;

    NetlinkMessage(MemorySegment buffer) {
        this.buffer = buffer;
    }

    NetlinkMessage begin(int type, int flags, int sequence) {
        buffer.asSlice(0, HEADER_SIZE).fill((byte) 0);
        buffer.set(JAVA_SHORT, 4, (short) type);
        buffer.set(JAVA_SHORT, 6, (short) flags);
        buffer.set(JAVA_INT, 8, sequence);
        position = HEADER_SIZE;
        return this;
    }

    NetlinkMessage u8(int value) {
        buffer.set(JAVA_BYTE, position++, (byte) value);
        return this;
    }

    NetlinkMessage u16(int value) {
        buffer.set(JAVA_SHORT, position, (short) value);
        position += 2;
        return this;
    }

    NetlinkMessage u32(int value) {
        buffer.set(JAVA_INT, position, value);
        position += 4;
        return this;
    }

    NetlinkMessage attribute(int type, byte[] value) {
        int length = 4 + value.length;
        buffer.set(JAVA_SHORT, position, (short) length);
        buffer.set(JAVA_SHORT, position + 2, (short) type);
        MemorySegment.copy(value, 0, buffer, JAVA_BYTE, position + 4, value.length);
        int padded = align(length);
        buffer.asSlice(position + length, padded - length).fill((byte) 0);
        position += padded;
        return this;
    }

    NetlinkMessage attributeU32(int type, int value) {
        byte[] bytes = new byte[4];
        MemorySegment.ofArray(bytes).set(ValueLayout.JAVA_INT_UNALIGNED, 0, value);
        return attribute(type, bytes);
    }

    NetlinkMessage attributeU8(int type, int value) {
        return attribute(type, new byte[] {(byte) value});
    }

    NetlinkMessage attributeString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[text.length + 1];
        System.arraycopy(text, 0, terminated, 0, text.length);
        return attribute(type, terminated);
    }

    /** Writes the total length into the header and returns it. */
    int finish() {
        buffer.set(JAVA_INT, 0, position);
        return position;
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }
}

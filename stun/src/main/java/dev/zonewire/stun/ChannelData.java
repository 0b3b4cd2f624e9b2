package dev.zonewire.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * TURN ChannelData framing (RFC 8656 section 12.4): a 2-byte channel number, a 2-byte payload
 * length, the payload, and over TCP padding to a multiple of 4. The header methods work on
 * buffers in place and do not allocate, for the relay's packet path.
 */
public final class ChannelData {
    public static final int HEADER_LENGTH = 4;
    /** RFC 8656's channel range, the one Firezone uses. */
    public static final int MIN_CHANNEL = 0x4000;
    public static final int MAX_CHANNEL = 0x4FFF;
    /** The wider range of RFC 5766 (0x4000-0x7FFF), which older clients such as coturn's still use. */
    public static final int MAX_CHANNEL_RFC5766 = AttributeRules.MAX_CHANNEL;
    public static final int MAX_PAYLOAD = 0xFFFF;

    private ChannelData() {
    }

    /** A decoded ChannelData message. */
    public record Frame(int channel, byte[] payload) {
        public Frame {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Frame that && channel == that.channel && Arrays.equals(payload, that.payload);
        }

        @Override
        public int hashCode() {
            return 31 * channel + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return String.format("Frame[channel=0x%04X, %d bytes]", channel, payload.length);
        }
    }

    public static boolean isValidChannel(int channel) {
        return channel >= MIN_CHANNEL && channel <= MAX_CHANNEL;
    }

    /**
     * The payload length of the ChannelData message at the buffer's position, or -1 if the
     * datagram is shorter than 4 bytes, its channel number is outside {@code [minChannel,
     * maxChannel]}, or it holds fewer bytes than the length says. Bytes beyond the payload
     * (padding, or anything else) are allowed and ignored.
     */
    public static int payloadLength(ByteBuffer datagram, int minChannel, int maxChannel) {
        int available = datagram.remaining();
        if (available < HEADER_LENGTH) {
            return -1;
        }
        int channel = datagram.getShort(datagram.position()) & 0xFFFF;
        if (channel < minChannel || channel > maxChannel) {
            return -1;
        }
        int length = datagram.getShort(datagram.position() + 2) & 0xFFFF;
        return HEADER_LENGTH + length <= available ? length : -1;
    }

    /** {@link #payloadLength(ByteBuffer, int, int)} for RFC 8656's channel range 0x4000-0x4FFF. */
    public static int payloadLength(ByteBuffer datagram) {
        return payloadLength(datagram, MIN_CHANNEL, MAX_CHANNEL);
    }

    /** The channel number at the buffer's position; check {@link #payloadLength} first. */
    public static int channel(ByteBuffer datagram) {
        return datagram.getShort(datagram.position()) & 0xFFFF;
    }

    /** Writes the 4-byte header at an absolute index, e.g. into room left in front of a payload. */
    public static void writeHeader(ByteBuffer buffer, int index, int channel, int payloadLength) {
        buffer.putShort(index, (short) channel);
        buffer.putShort(index + 2, (short) payloadLength);
    }

    /** Parses a datagram into a frame (allocates; for tests and control paths). */
    public static Optional<Frame> parse(ByteBuffer datagram, int minChannel, int maxChannel) {
        int length = payloadLength(datagram, minChannel, maxChannel);
        if (length < 0) {
            return Optional.empty();
        }
        byte[] payload = new byte[length];
        datagram.get(datagram.position() + HEADER_LENGTH, payload);
        return Optional.of(new Frame(channel(datagram), payload));
    }

    public static Optional<Frame> parse(byte[] datagram) {
        return parse(ByteBuffer.wrap(datagram), MIN_CHANNEL, MAX_CHANNEL);
    }

    /**
     * Encodes a frame. Over UDP padding is optional and Firezone never pads; over TCP it is
     * required, so pass {@code pad = true} there.
     */
    public static byte[] encode(int channel, byte[] payload, boolean pad) {
        if (channel < MIN_CHANNEL || channel > MAX_CHANNEL_RFC5766) {
            throw new IllegalArgumentException(AttributeRules.checkChannel(channel));
        }
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("ChannelData payload longer than 65535 bytes");
        }
        int length = HEADER_LENGTH + payload.length;
        byte[] frame = new byte[pad ? Bytes.padded(length) : length];
        Bytes.putShort(frame, 0, channel);
        Bytes.putShort(frame, 2, payload.length);
        System.arraycopy(payload, 0, frame, HEADER_LENGTH, payload.length);
        return frame;
    }
}

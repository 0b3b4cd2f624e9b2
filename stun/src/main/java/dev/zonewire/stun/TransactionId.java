package dev.zonewire.stun;

import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** The 96-bit STUN transaction id, held as its first 4 and last 8 bytes (big-endian). */
public record TransactionId(int head, long tail) {
    public static final int LENGTH = 12;

    public static TransactionId random(RandomGenerator random) {
        return new TransactionId(random.nextInt(), random.nextLong());
    }

    /** Parses 24 hex digits. */
    public static TransactionId ofHex(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a transaction id has 12 bytes, got " + bytes.length);
        }
        return ofBytes(bytes, 0);
    }

    static TransactionId ofBytes(byte[] bytes, int offset) {
        int head = Bytes.getInt(bytes, offset);
        long tail = ((long) Bytes.getInt(bytes, offset + 4) << 32) | (Bytes.getInt(bytes, offset + 8) & 0xFFFFFFFFL);
        return new TransactionId(head, tail);
    }

    public byte[] toBytes() {
        byte[] bytes = new byte[LENGTH];
        writeTo(bytes, 0);
        return bytes;
    }

    void writeTo(byte[] bytes, int offset) {
        Bytes.putInt(bytes, offset, head);
        Bytes.putInt(bytes, offset + 4, (int) (tail >>> 32));
        Bytes.putInt(bytes, offset + 8, (int) tail);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(toBytes());
    }
}

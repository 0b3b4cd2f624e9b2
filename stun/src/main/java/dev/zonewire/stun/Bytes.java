package dev.zonewire.stun;

/** Big-endian reads and writes on byte arrays. */
final class Bytes {
    private Bytes() {
    }

    static int getShort(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    static int getInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16)
                | ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF);
    }

    static long getLong(byte[] b, int offset) {
        return ((long) getInt(b, offset) << 32) | (getInt(b, offset + 4) & 0xFFFFFFFFL);
    }

    static void putShort(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }

    static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    static void putLong(byte[] b, int offset, long value) {
        putInt(b, offset, (int) (value >>> 32));
        putInt(b, offset + 4, (int) value);
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }
}

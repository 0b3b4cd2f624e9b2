package dev.zonewire.tunnel;

import java.util.Arrays;

/**
 * The format of the state fuzz targets' inputs: records of one operation byte, a 2-byte big-endian length
 * (cut to what is left) and that many payload bytes. Simple enough to write seeds by hand.
 */
public final class FuzzInput {
    private final byte[] input;
    private int index;

    public FuzzInput(byte[] input) {
        this.input = input;
    }

    public boolean hasNext() {
        return index < input.length;
    }

    /** The next record's operation, among {@code operations}. */
    public int nextOperation(int operations) {
        return (input[index++] & 0xFF) % operations;
    }

    public byte[] nextPayload() {
        int length = index + 2 <= input.length ? (input[index] & 0xFF) << 8 | input[index + 1] & 0xFF : 0;
        index = Math.min(input.length, index + 2);
        int end = Math.min(input.length, index + length);
        byte[] payload = Arrays.copyOfRange(input, index, end);
        index = end;
        return payload;
    }
}

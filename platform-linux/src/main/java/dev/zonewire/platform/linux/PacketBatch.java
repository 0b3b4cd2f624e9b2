package dev.zonewire.platform.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A reusable set of IP packet buffers in native memory, for reading from and writing to a
 * {@link TunDevice} several packets at a time without allocating.
 *
 * <p>Slot {@code i} is a fixed region of {@link #slotSize()} bytes; {@link #length(int)} says how
 * many of them hold the packet. A read fills slots {@code 0..size()-1}; for a write, put packets
 * into the slots, {@link #setLength(int, int) set their lengths} and {@link #setSize(int) the
 * count}. A batch belongs to one thread at a time. Close it to free its memory.
 */
public final class PacketBatch implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final int slotSize;
    private final MemorySegment memory;
    private final MemorySegment[] slots;
    private final ByteBuffer[] buffers;
    private final int[] lengths;
    private int size;

    private PacketBatch(int capacity, int slotSize) {
        this.slotSize = slotSize;
        this.memory = arena.allocate((long) capacity * slotSize, 64);
        this.slots = new MemorySegment[capacity];
        this.buffers = new ByteBuffer[capacity];
        this.lengths = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = memory.asSlice((long) i * slotSize, slotSize);
            buffers[i] = slots[i].asByteBuffer();
        }
    }

    /**
     * A batch of {@code capacity} slots of {@code slotSize} bytes each. The slot size must hold
     * the largest packet expected: the interface MTU.
     */
    public static PacketBatch allocate(int capacity, int slotSize) {
        if (capacity < 1 || capacity > 4096) {
            throw new IllegalArgumentException("capacity must be 1..4096, not " + capacity);
        }
        if (slotSize < 68 || slotSize > 65535) {
            throw new IllegalArgumentException("slotSize must be 68..65535 bytes, not " + slotSize);
        }
        return new PacketBatch(capacity, slotSize);
    }

    public int capacity() {
        return slots.length;
    }

    public int slotSize() {
        return slotSize;
    }

    /** How many slots hold packets. */
    public int size() {
        return size;
    }

    public void setSize(int size) {
        Objects.checkIndex(size, slots.length + 1);
        this.size = size;
    }

    /** The whole slot {@code i}; the packet is its first {@link #length(int)} bytes. */
    public MemorySegment slot(int i) {
        return slots[i];
    }

    /** The packet in slot {@code i} as a new slice (allocates; use {@link #slot} on hot paths). */
    public MemorySegment packet(int i) {
        return slots[Objects.checkIndex(i, size)].asSlice(0, lengths[i]);
    }

    /**
     * A buffer over slot {@code i}, the same object every time. After a read its position is 0
     * and its limit the packet length.
     */
    public ByteBuffer buffer(int i) {
        return buffers[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    public void setLength(int i, int length) {
        Objects.checkIndex(length, slotSize + 1);
        lengths[i] = length;
    }

    /** Appends a copy of {@code packet} as the next packet; false when the batch is full. */
    public boolean add(MemorySegment packet) {
        if (size == slots.length) {
            return false;
        }
        setLength(size, Math.toIntExact(packet.byteSize()));
        MemorySegment.copy(packet, 0, slots[size], 0, packet.byteSize());
        size++;
        return true;
    }

    public void clear() {
        size = 0;
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Records a packet read into slot {@code i}. */
    void filled(int i, int length) {
        lengths[i] = length;
        buffers[i].limit(length).position(0);
    }
}

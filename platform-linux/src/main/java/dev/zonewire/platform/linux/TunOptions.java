package dev.zonewire.platform.linux;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How to open a TUN device.
 *
 * @param name the interface name, at most 15 bytes; an existing TUN interface of that name is
 *     attached to, otherwise one is created. A name with {@code %d} (e.g. {@code "zw%d"}) lets
 *     the kernel pick a free number.
 * @param multiQueue {@code IFF_MULTI_QUEUE}: every open of the same name adds a queue, so several
 *     threads can each read and write their own descriptor
 * @param offload {@code IFF_VNET_HDR} with TCP and UDP segmentation offload: the kernel hands
 *     over TCP super-packets of up to 64 KiB that {@link TunDevice#read(PacketBatch)} cuts into
 *     ordinary packets, and {@link TunDevice#write(PacketBatch)} merges consecutive TCP segments
 *     of one flow into super-packets the kernel takes in one go
 */
public record TunOptions(String name, boolean multiQueue, boolean offload) {
    static final int MAX_NAME_BYTES = 15;

    public TunOptions {
        Objects.requireNonNull(name, "name");
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a TUN interface name has 1 to 15 bytes: \"" + name + "\"");
        }
        if (name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))
                || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("a TUN interface name cannot contain '/', ':' or spaces: \""
                    + name + "\"");
        }
    }

    /** A single-queue device without offload, the way the reference opens it. */
    public static TunOptions named(String name) {
        return new TunOptions(name, false, false);
    }

    public TunOptions withMultiQueue(boolean multiQueue) {
        return new TunOptions(name, multiQueue, offload);
    }

    public TunOptions withOffload(boolean offload) {
        return new TunOptions(name, multiQueue, offload);
    }
}

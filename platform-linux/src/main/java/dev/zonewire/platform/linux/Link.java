package dev.zonewire.platform.linux;

/**
 * A network interface as the kernel reports it.
 *
 * @param index the interface index
 * @param name the interface name
 * @param mtu the MTU in bytes
 * @param up whether the administrative state is up ({@code IFF_UP})
 */
public record Link(int index, String name, int mtu, boolean up) {
}

package dev.zonewire.wireguard.linux;

import dev.zonewire.wireguard.PrivateKey;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start a {@link WireGuardDevice}.
 *
 * @param interfaceName the TUN interface to create, at most 15 bytes
 * @param privateKey our static key
 * @param listenPort the UDP port for both address families; 0 lets the kernel pick one
 * @param firewallMark {@code SO_MARK} for the UDP sockets, 0 for none
 * @param mtu the interface MTU; inner packets up to this size are carried
 * @param offload TUN segmentation offload and UDP GSO/GRO (on unless measuring without them)
 * @param namespace the named network namespace ({@code ip netns add}) to create the interface
 *     and sockets in, or null for the process's own
 * @param socketDirectory where the UAPI socket {@code <interface>.sock} goes; wg(8) looks in
 *     {@link #DEFAULT_SOCKET_DIRECTORY}
 */
public record DeviceOptions(String interfaceName, PrivateKey privateKey, int listenPort, int firewallMark, int mtu,
        boolean offload, String namespace, Path socketDirectory) {
    public static final Path DEFAULT_SOCKET_DIRECTORY = Path.of("/var/run/wireguard");
    public static final int DEFAULT_MTU = 1420;

    public DeviceOptions {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(socketDirectory, "socketDirectory");
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("the listen port must be 0 to 65535, not " + listenPort);
        }
        if (mtu < 576 || mtu > 65455) {
            throw new IllegalArgumentException("the MTU must be 576 to 65455, not " + mtu);
        }
    }

    /** An interface with a random port, no mark, MTU 1420 and offload, in this namespace. */
    public static DeviceOptions of(String interfaceName, PrivateKey privateKey) {
        return new DeviceOptions(interfaceName, privateKey, 0, 0, DEFAULT_MTU, true, null, DEFAULT_SOCKET_DIRECTORY);
    }

    public DeviceOptions withListenPort(int port) {
        return new DeviceOptions(interfaceName, privateKey, port, firewallMark, mtu, offload, namespace, socketDirectory);
    }

    public DeviceOptions withFirewallMark(int mark) {
        return new DeviceOptions(interfaceName, privateKey, listenPort, mark, mtu, offload, namespace, socketDirectory);
    }

    public DeviceOptions withMtu(int newMtu) {
        return new DeviceOptions(interfaceName, privateKey, listenPort, firewallMark, newMtu, offload, namespace,
                socketDirectory);
    }

    public DeviceOptions withOffload(boolean on) {
        return new DeviceOptions(interfaceName, privateKey, listenPort, firewallMark, mtu, on, namespace, socketDirectory);
    }

    public DeviceOptions inNamespace(String name) {
        return new DeviceOptions(interfaceName, privateKey, listenPort, firewallMark, mtu, offload, name, socketDirectory);
    }

    public DeviceOptions withSocketDirectory(Path directory) {
        return new DeviceOptions(interfaceName, privateKey, listenPort, firewallMark, mtu, offload, namespace, directory);
    }
}

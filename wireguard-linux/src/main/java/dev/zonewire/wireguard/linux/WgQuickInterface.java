package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.NetworkNamespace;
import dev.zonewire.platform.linux.Rtnetlink;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An interface {@link WgQuick#up} brought up; closing it takes it down. */
public final class WgQuickInterface implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WgQuickInterface.class);

    private final WireGuardDevice device;
    private final InterfaceRoutes routes;
    private final String namespace;

    WgQuickInterface(WireGuardDevice device, InterfaceRoutes routes, String namespace) {
        this.device = device;
        this.routes = routes;
        this.namespace = namespace;
    }

    public WireGuardDevice device() {
        return device;
    }

    /** Waits until the interface is asked to stop (see {@link WireGuardDevice#awaitStop()}) and returns why. */
    public String awaitStop() throws InterruptedException {
        return device.awaitStop();
    }

    /**
     * Removes the policy rules of a default route, then stops the device; the interface, its
     * addresses and routes disappear with it. A second call waits for the first to finish.
     */
    @Override
    public synchronized void close() {
        try (Rtnetlink netlink = namespace == null ? Rtnetlink.open() : NetworkNamespace.call(namespace, Rtnetlink::open)) {
            routes.remove(netlink);
        } catch (IOException e) {
            log.warn("Could not remove the routing rules of interface {}: {}", device.interfaceName(), e.getMessage());
        }
        device.close();
    }
}

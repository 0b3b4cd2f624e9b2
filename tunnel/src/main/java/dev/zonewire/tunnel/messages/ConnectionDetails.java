package dev.zonewire.tunnel.messages;

import java.net.InetAddress;
import java.util.Objects;
import java.util.UUID;

/** The ok reply to {@code prepare_connection}: the gateway the portal chose, its site and its public IP. */
public record ConnectionDetails(UUID resourceId, UUID gatewayId, UUID siteId, InetAddress gatewayRemoteIp) {

    public ConnectionDetails {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(gatewayRemoteIp, "gatewayRemoteIp");
    }
}

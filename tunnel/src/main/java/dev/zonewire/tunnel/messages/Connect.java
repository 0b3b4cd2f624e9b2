package dev.zonewire.tunnel.messages;

import java.util.Objects;
import java.util.UUID;

/** The deferred ok reply to {@code request_connection}: the gateway's key and answer. {@code persistentKeepalive} is ignored (snownet uses 25 s). */
public record Connect(UUID resourceId, PublicKey gatewayPublicKey, long persistentKeepalive, GatewayResponse gatewayPayload) {

    public Connect {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(gatewayPublicKey, "gatewayPublicKey");
        Objects.requireNonNull(gatewayPayload, "gatewayPayload");
    }
}

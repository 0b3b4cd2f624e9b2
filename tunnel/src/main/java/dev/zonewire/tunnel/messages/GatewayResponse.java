package dev.zonewire.tunnel.messages;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's answer in the legacy flow, passed through by the portal as an externally tagged object:
 * {@code {"ConnectionAccepted":{"ice_parameters":{...}}}} or the obsolete
 * {@code {"ResourceAccepted":{"domain_response":{"domain","address":[...]}}}}.
 */
public sealed interface GatewayResponse {

    record ConnectionAccepted(IceCredentials iceParameters) implements GatewayResponse {
        public ConnectionAccepted {
            Objects.requireNonNull(iceParameters, "iceParameters");
        }
    }

    record ResourceAccepted(String domain, List<InetAddress> addresses) implements GatewayResponse {
        public ResourceAccepted {
            Objects.requireNonNull(domain, "domain");
            addresses = List.copyOf(addresses);
        }
    }
}

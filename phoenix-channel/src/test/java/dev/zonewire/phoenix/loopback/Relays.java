package dev.zonewire.phoenix.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.zonewire.common.Secret;
import dev.zonewire.phoenix.client.BackoffPolicy;
import dev.zonewire.phoenix.client.ChannelConfig;
import dev.zonewire.phoenix.client.LoginUrl;
import dev.zonewire.phoenix.client.UserAgent;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/** A relay's channel settings for loopback tests. */
final class Relays {
    static final JsonNode JOIN = JsonNodeFactory.instance.objectNode().put("stamp_secret", "5e".repeat(32));

    private Relays() {}

    static ChannelConfig config() {
        return ChannelConfig.defaults(UserAgent.relay("0.1.0"), JOIN, BackoffPolicy.relay());
    }

    static LoginUrl url(String host, int port, String token) throws UnknownHostException {
        return LoginUrl.forRelay(URI.create("ws://" + host + ":" + port), Secret.of(token), Optional.of("relay-lo"),
                Optional.of((Inet4Address) InetAddress.getByName("203.0.113.7")), Optional.empty(), 3478);
    }
}

package dev.zonewire.phoenix.server;

import dev.zonewire.common.Secret;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an {@link Authenticator} sees of a WebSocket upgrade: the token (never logged), the other
 * query parameters, the User-Agent, the peer's address and any request header.
 */
public record ConnectRequest(
        Secret token,
        Map<String, String> params,
        String userAgent,
        SocketAddress remoteAddress,
        Function<String, String> header) {

    /** A query parameter other than the token, if present. */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** A request header (e.g. the load balancer's geo headers), if present. */
    public Optional<String> headerValue(String name) {
        return Optional.ofNullable(header.apply(name));
    }
}

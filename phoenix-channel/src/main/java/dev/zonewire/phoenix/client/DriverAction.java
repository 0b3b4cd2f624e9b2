package dev.zonewire.phoenix.client;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What {@link ChannelClient} asks its driver to do; drained with {@link ChannelClient#pollAction()}.
 * Every action names the attempt it belongs to, and the driver reports results with the same
 * number, so that a late callback from an abandoned socket is recognised and ignored.
 */
public sealed interface DriverAction {
    long attempt();

    /** Resolve the portal's host name, then report with {@code handleResolved} or {@code handleResolveFailed}. */
    record Resolve(long attempt, String host) implements DriverAction {}

    /**
     * Open the WebSocket to {@code url}, connecting to {@code addresses} in order while keeping the
     * URL's host name for the Host header and TLS. {@code url.expose()} gives the URL with its token.
     */
    record Open(long attempt, LoginUrl url, List<InetSocketAddress> addresses, String userAgent) implements DriverAction {}

    /** Send one text frame on the attempt's socket. */
    record Send(long attempt, String frame) implements DriverAction {
        /** Frames carry secrets (a relay's join holds its stamp secret): only their length is shown. */
        @Override
        public String toString() {
            return "Send[attempt=" + attempt + ", " + frame.length() + " chars]";
        }
    }

    /** Close the attempt's socket: with a close handshake when {@code graceful}, else abort it. */
    record Close(long attempt, boolean graceful) implements DriverAction {}
}

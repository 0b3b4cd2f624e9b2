package dev.zonewire.wireguard;

import java.net.InetSocketAddress;

/** A datagram the driver must send: a handshake message, a cookie reply, a keepalive or queued data. */
public record Transmit(InetSocketAddress destination, byte[] datagram) {}

package dev.zonewire.tunnel.dns;

/** How a DNS message travels: one UDP datagram, or length-prefixed on a TCP connection. */
public enum DnsTransport {
    UDP,
    TCP
}

package dev.zonewire.tunnel.gateway;

/**
 * What the gateway does with a packet from a client: forward it (possibly rewritten), drop it, or drop
 * it and answer with an ICMP/ICMPv6 destination unreachable (administratively prohibited), so that
 * applications fail fast instead of timing out.
 */
public enum Verdict {
    FORWARD,
    DROP,
    ANSWER_PROHIBITED
}

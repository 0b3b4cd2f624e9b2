package dev.zonewire.tunnel.gateway;

/**
 * What the gateway does with a packet from a client: forward it (possibly rewritten), or drop it. A drop
 * that {@link Drop#answerProhibited() answers} gets an ICMP/ICMPv6 destination unreachable
 * (administratively prohibited) back to the client, so applications fail fast instead of timing out.
 */
public sealed interface Verdict {

    /** Forward {@code flow} to the resource network; it differs from the packet's own addressing after NAT. */
    record Forward(Flow flow) implements Verdict {}

    /** {@code answerProhibited}: the reason calls for an ICMP error and the rate limit allows one now. */
    record Drop(DropReason reason, boolean answerProhibited) implements Verdict {
        public Drop(DropReason reason) {
            this(reason, false);
        }
    }
}

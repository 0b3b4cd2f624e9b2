package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.TransactionId;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * One client's allocation: a port on one or both address families, its expiry and its channel
 * bindings. The client's transport address identifies it; the relay's side of the 5-tuple is
 * fixed. The channel tables are made on the first ChannelBind, so an idle allocation stays small.
 */
final class Allocation extends Deadlines.Target {
    final InetSocketAddress client;
    /** The client's IP address bytes, made once so that relaying needs no copy of them. */
    final byte[] clientAddress;
    final int port;
    final TransactionId createdBy;
    boolean ipv4;
    boolean ipv6;
    long expiresAt;
    private ChannelTable channels;
    private Map<InetSocketAddress, ChannelBinding> byPeer;

    Allocation(InetSocketAddress client, int port, boolean ipv4, boolean ipv6, long expiresAt, TransactionId createdBy) {
        this.client = client;
        this.clientAddress = client.getAddress().getAddress();
        this.port = port;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.expiresAt = expiresAt;
        this.createdBy = createdBy;
    }

    boolean supports(AddressFamily family) {
        return family == AddressFamily.IPV4 ? ipv4 : ipv6;
    }

    ChannelBinding channel(int number) {
        return channels == null ? null : channels.get(number);
    }

    ChannelBinding bindingForPeer(InetSocketAddress peer) {
        return byPeer == null ? null : byPeer.get(peer);
    }

    void add(ChannelBinding binding) {
        if (channels == null) {
            channels = new ChannelTable();
            byPeer = new HashMap<>(4);
        }
        channels.put(binding);
        byPeer.put(binding.peer, binding);
    }

    void remove(ChannelBinding binding) {
        channels.remove(binding.number);
        byPeer.remove(binding.peer);
    }

    /** A copy of the bindings, safe to iterate while removing. */
    Iterable<ChannelBinding> bindings() {
        return byPeer == null ? java.util.List.of() : java.util.List.copyOf(byPeer.values());
    }
}

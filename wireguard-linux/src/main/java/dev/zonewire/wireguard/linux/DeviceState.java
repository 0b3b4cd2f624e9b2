package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.PeerConfig;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import dev.zonewire.wireguard.WireGuardPeer;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.io.IOException;
import java.util.List;

/**
 * What configuration reads and changes on an interface, without IO of its own: the tunnel with its
 * peers, their allowed IPs, the listen port and the firewall mark. The UAPI socket and
 * configuration files both work through it. Not thread-safe: the device calls it under its lock.
 *
 * <p>Allowed-IP changes collect until {@link #publish()}, which hands the packet threads a new
 * routing table in one step; removing a peer publishes at once. The packet threads read the table
 * under the device's lock, so it never names a peer the tunnel has dropped.
 */
final class DeviceState {
    /** The UDP side of the interface, which a new port or mark re-opens. */
    interface Binding {
        /**
         * Closes the sockets and opens new ones on {@code port} (0: one the kernel picks) that mark
         * their packets with {@code firewallMark} (0: none); returns the port now bound.
         */
        int rebind(int port, int firewallMark) throws IOException;
    }

    private final WireGuardTunnel tunnel;
    private final Binding binding;
    private volatile AllowedIps<WireGuardPeer> allowedIps = AllowedIps.empty();
    private AllowedIps.Builder<WireGuardPeer> edits;
    private int listenPort;
    private int firewallMark;

    DeviceState(WireGuardTunnel tunnel, Binding binding, int listenPort, int firewallMark) {
        this.tunnel = tunnel;
        this.binding = binding;
        this.listenPort = listenPort;
        this.firewallMark = firewallMark;
    }

    WireGuardTunnel tunnel() {
        return tunnel;
    }

    /** The routing table last published; safe to read from any thread. */
    AllowedIps<WireGuardPeer> allowedIps() {
        return allowedIps;
    }

    int listenPort() {
        return listenPort;
    }

    int firewallMark() {
        return firewallMark;
    }

    /**
     * A new static key. Setting the key we have changes nothing (so that re-applying a whole
     * configuration keeps the sessions); a peer with the new key's public half is removed, as
     * wireguard-go does, since we cannot be our own peer.
     */
    void setPrivateKey(PrivateKey key) {
        if (key.equals(tunnel.privateKey())) {
            return;
        }
        WireGuardPeer self = tunnel.peer(key.publicKey());
        if (self != null) {
            removePeer(self);
        }
        tunnel.setPrivateKey(key);
    }

    void setListenPort(int port) throws IOException {
        if (port != 0 && port == listenPort) {
            return;
        }
        listenPort = binding.rebind(port, firewallMark);
    }

    void setFirewallMark(int mark) throws IOException {
        if (mark == firewallMark) {
            return;
        }
        listenPort = binding.rebind(listenPort, mark);
        firewallMark = mark;
    }

    /** The peer with {@code key}, or null. */
    WireGuardPeer peer(PublicKey key) {
        return tunnel.peer(key);
    }

    /** A new peer with nothing configured but its key; null for our own public key, which is no peer. */
    WireGuardPeer addPeer(PublicKey key, long now) {
        if (key.equals(tunnel.publicKey())) {
            return null;
        }
        return tunnel.addPeer(PeerConfig.of(key), now);
    }

    /**
     * Removes a peer and publishes the table at once: a packet the TUN thread routed to a peer that
     * is no longer in the tunnel would start a handshake for it and bring its keys back.
     */
    void removePeer(WireGuardPeer peer) {
        drop(peer);
        publish();
    }

    void removeAllPeers() {
        for (WireGuardPeer peer : List.copyOf(tunnel.peers())) {
            drop(peer);
        }
        publish();
    }

    void addAllowedIp(WireGuardPeer peer, IpPrefix prefix) {
        edits().add(prefix, peer);
    }

    void removeAllowedIp(WireGuardPeer peer, IpPrefix prefix) {
        edits().remove(prefix, peer);
    }

    void removeAllowedIps(WireGuardPeer peer) {
        edits().removePeer(peer);
    }

    /** Makes the allowed-IP changes since the last call visible to the packet threads. */
    void publish() {
        if (edits != null) {
            allowedIps = edits.build();
            edits = null;
        }
    }

    private void drop(WireGuardPeer peer) {
        edits().removePeer(peer);
        tunnel.removePeer(peer.publicKey());
    }

    private AllowedIps.Builder<WireGuardPeer> edits() {
        if (edits == null) {
            edits = allowedIps.toBuilder();
        }
        return edits;
    }
}

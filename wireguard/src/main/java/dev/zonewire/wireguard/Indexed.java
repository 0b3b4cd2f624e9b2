package dev.zonewire.wireguard;

/** What a receiver index names: a handshake in progress or an established keypair, both of one peer. */
sealed interface Indexed permits Handshake, Keypair {
    WireGuardPeer peer();
}

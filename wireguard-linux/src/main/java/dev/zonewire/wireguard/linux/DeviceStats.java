package dev.zonewire.wireguard.linux;

import dev.zonewire.platform.linux.TunStats;
import dev.zonewire.wireguard.DropReason;
import java.util.Map;

/**
 * What an interface dropped and moved, for logs and tests.
 *
 * @param noRoute packets from the TUN device whose destination no peer's allowed IPs cover
 * @param sourceNotAllowed decrypted packets whose source address is not in the sending peer's
 *     allowed IPs (cryptokey routing refuses them)
 * @param tooLarge decrypted packets larger than the interface MTU
 * @param noSocket datagrams for an address family without a socket, or lost while the sockets
 *     were re-bound
 * @param sendErrors datagrams the UDP socket failed to send
 * @param tunnelDrops the WireGuard tunnel's drops by reason
 * @param tun the TUN device's counters
 */
public record DeviceStats(long noRoute, long sourceNotAllowed, long tooLarge, long noSocket, long sendErrors,
        Map<DropReason, Long> tunnelDrops, TunStats tun) {
}

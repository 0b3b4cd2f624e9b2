package dev.zonewire.tunnel;

import dev.zonewire.common.Secret;
import dev.zonewire.snownet.Relay;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.snownet.turn.RelayAddresses;
import dev.zonewire.snownet.turn.TurnCredentials;
import dev.zonewire.tunnel.messages.PublicKey;
import dev.zonewire.wireguard.PresharedKey;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The portal's descriptions of keys, credentials and relays turned into snownet's types. The portal is
 * trusted but not infallible: a value snownet refuses (a TURN username too long, ICE credentials too short)
 * makes these throw {@link IllegalArgumentException}, which the states count and skip.
 */
public final class SnownetTypes {
    private SnownetTypes() {}

    public static dev.zonewire.wireguard.PublicKey publicKey(PublicKey key) {
        return dev.zonewire.wireguard.PublicKey.fromBytes(key.bytes());
    }

    public static PresharedKey presharedKey(Secret key) {
        return PresharedKey.fromSecret(key);
    }

    public static IceCredentials iceCredentials(dev.zonewire.tunnel.messages.IceCredentials credentials) {
        return new IceCredentials(credentials.username(), credentials.password());
    }

    public static dev.zonewire.tunnel.messages.IceCredentials iceCredentials(IceCredentials credentials) {
        return new dev.zonewire.tunnel.messages.IceCredentials(credentials.ufrag(), credentials.password());
    }

    /**
     * The TURN relays of a portal relay list: entries with the same id (one per address family, wherever
     * they stand in the list) become one dual-stack relay with the last entry's credentials; STUN entries
     * and entries snownet refuses are left out.
     */
    public static List<Relay<UUID>> relays(List<dev.zonewire.tunnel.messages.Relay> descriptors) {
        Map<UUID, List<dev.zonewire.tunnel.messages.Relay.Turn>> byId = new LinkedHashMap<>();
        for (dev.zonewire.tunnel.messages.Relay descriptor : descriptors) {
            if (descriptor instanceof dev.zonewire.tunnel.messages.Relay.Turn turn) {
                byId.computeIfAbsent(turn.id(), id -> new ArrayList<>()).add(turn);
            }
        }
        List<Relay<UUID>> relays = new ArrayList<>();
        byId.forEach((id, entries) -> {
            InetSocketAddress ipv4 = null;
            InetSocketAddress ipv6 = null;
            for (var entry : entries) {
                if (entry.address().getAddress() instanceof Inet4Address) {
                    ipv4 = entry.address();
                } else {
                    ipv6 = entry.address();
                }
            }
            var last = entries.getLast();
            try {
                relays.add(new Relay<>(id, new RelayAddresses(ipv4, ipv6),
                        new TurnCredentials(last.username(), last.password(), TurnCredentials.FIREZONE_REALM)));
            } catch (IllegalArgumentException unusable) {
                // A relay snownet cannot use is left out; the others still serve.
            }
        });
        return relays;
    }
}

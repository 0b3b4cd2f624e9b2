package dev.zonewire.snownet.turn;

import dev.zonewire.stun.ChannelData;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The channel numbers of one allocation (0x4000-0x4FFF) and the peers they are bound to, with the
 * lifetimes that match the relay's: a binding relays for 10 minutes, and a number stays reserved
 * for its peer 5 minutes longer. Numbers are handed out round-robin.
 */
final class ChannelBindings {
    private static final int FIRST = ChannelData.MIN_CHANNEL;
    private static final int LAST = ChannelData.MAX_CHANNEL;
    static final long LIFETIME_NANOS = Duration.ofMinutes(10).toNanos();
    static final long REFRESH_AFTER_NANOS = LIFETIME_NANOS / 2;
    static final long REUSE_AFTER_NANOS = LIFETIME_NANOS + Duration.ofMinutes(5).toNanos();

    /** One channel number and the peer it belongs to. */
    static final class Channel {
        final int number;
        final InetSocketAddress peer;
        boolean bound;
        boolean bindInFlight;
        long boundAt;
        long reservedAt;
        /** Data arrived on it since it was (re)bound: only such channels are kept alive. */
        boolean receivedSinceBind;

        Channel(int number, InetSocketAddress peer, long now) {
            this.number = number;
            this.peer = peer;
            this.reservedAt = now;
        }

        boolean isUsable(long now) {
            return bound && now - boundAt < LIFETIME_NANOS;
        }

        /** The relay no longer holds the number for this peer. */
        boolean isReusable(long now) {
            long since = bound ? boundAt : reservedAt;
            return !bindInFlight && !receivedSinceBind && now - since >= REUSE_AFTER_NANOS;
        }
    }

    private final Channel[] byNumber = new Channel[LAST - FIRST + 1];
    private final Map<InetSocketAddress, Channel> byPeer = new HashMap<>();
    private int next = FIRST;

    /**
     * The channel to bind {@code peer} on: its existing number while the relay still reserves it
     * for that peer, else a free one. Null when all 4096 are taken.
     */
    Channel reserve(InetSocketAddress peer, long now) {
        Channel existing = byPeer.get(peer);
        if (existing != null && !existing.isReusable(now)) {
            return existing;
        }
        for (int i = 0; i < byNumber.length; i++) {
            int number = next;
            next = next == LAST ? FIRST : next + 1;
            Channel occupant = byNumber[number - FIRST];
            if (occupant == null || occupant.isReusable(now)) {
                if (occupant != null && byPeer.get(occupant.peer) == occupant) {
                    byPeer.remove(occupant.peer);
                }
                Channel channel = new Channel(number, peer, now);
                byNumber[number - FIRST] = channel;
                byPeer.put(peer, channel);
                return channel;
            }
        }
        return null;
    }

    Channel forPeer(InetSocketAddress peer) {
        return byPeer.get(peer);
    }

    /** The channel of a number in 0x4000-0x4FFF, else null. */
    Channel forNumber(int number) {
        return number >= FIRST && number <= LAST ? byNumber[number - FIRST] : null;
    }

    void markBound(Channel channel, long now) {
        channel.bound = true;
        channel.bindInFlight = false;
        channel.boundAt = now;
        channel.receivedSinceBind = false;
    }

    /** The relay refused the binding: the number is free again. */
    void forget(Channel channel) {
        if (byNumber[channel.number - FIRST] == channel) {
            byNumber[channel.number - FIRST] = null;
        }
        if (byPeer.get(channel.peer) == channel) {
            byPeer.remove(channel.peer);
        }
    }

    /** Bound channels half-way through their lifetime that carried data since: rebind them. */
    List<Channel> dueForRefresh(long now) {
        List<Channel> due = new ArrayList<>();
        for (Channel channel : byPeer.values()) {
            if (channel.bound && !channel.bindInFlight && channel.receivedSinceBind
                    && now - channel.boundAt >= REFRESH_AFTER_NANOS) {
                due.add(channel);
            }
        }
        return due;
    }

    /** When {@link #dueForRefresh} next has something, or {@link Long#MAX_VALUE}. */
    long nextRefreshAt() {
        long earliest = Long.MAX_VALUE;
        for (Channel channel : byPeer.values()) {
            if (channel.bound && !channel.bindInFlight && channel.receivedSinceBind) {
                earliest = Math.min(earliest, channel.boundAt + REFRESH_AFTER_NANOS);
            }
        }
        return earliest;
    }

    int size() {
        return byPeer.size();
    }

    void clear() {
        Arrays.fill(byNumber, null);
        byPeer.clear();
    }
}

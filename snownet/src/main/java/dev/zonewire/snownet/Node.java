package dev.zonewire.snownet;

import dev.zonewire.snownet.ice.Candidate;
import dev.zonewire.snownet.ice.CandidateParser;
import dev.zonewire.snownet.ice.IceAgent;
import dev.zonewire.snownet.ice.IceCredentials;
import dev.zonewire.snownet.ice.IceEvent;
import dev.zonewire.snownet.ice.IceState;
import dev.zonewire.snownet.ice.IceTimings;
import dev.zonewire.snownet.ice.IceTransmit;
import dev.zonewire.snownet.turn.FreeReason;
import dev.zonewire.snownet.turn.TurnAllocation;
import dev.zonewire.snownet.turn.TurnEvent;
import dev.zonewire.snownet.turn.TurnTransmit;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.StunDecodeResult;
import dev.zonewire.stun.StunDecoder;
import dev.zonewire.wireguard.PeerConfig;
import dev.zonewire.wireguard.PresharedKey;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardEvent;
import dev.zonewire.wireguard.WireGuardPeer;
import dev.zonewire.wireguard.WireGuardTunnel;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sans-IO snownet node: peer-to-peer WireGuard connections that find their way through NATs
 * with ICE and, where that fails, through TURN relays. One node serves one UDP socket per IP
 * family: STUN to relays, ChannelData, ICE checks and WireGuard all share it, told apart by the
 * first byte and the sender (see {@link #decapsulate}).
 *
 * <p>Each connection (keyed by a caller-chosen id of type {@code C}) has an ICE agent, a
 * WireGuard peer and one relay (of type {@code R}) sampled from those the node has an allocation
 * on. The client side is ICE-controlling and starts the WireGuard handshake once a pair is
 * nominated; the gateway follows.
 *
 * <p>Where the reference falls short, this node does better:
 * <ul>
 *   <li>a server-reflexive candidate found after a connection exists is trickled to it;</li>
 *   <li>WireGuard sees the sender's address, so cookie replies work when it is under load;</li>
 *   <li>WireGuard messages are routed by receiver index, not by source address, and the node
 *       follows the sender's new address, so a peer whose address changes keeps its connection;</li>
 *   <li>a connection whose relay dies (or is removed) moves to another relay instead of failing;</li>
 *   <li>remote candidates trickled after nomination are still used, so new paths can take over.</li>
 * </ul>
 *
 * <p>The driver loop: feed datagrams ({@link #decapsulate}), IP packets ({@link #encapsulate}) and
 * the time ({@link #handleTimeout}); then drain {@link #pollTransmit()} and {@link #pollEvent()};
 * sleep until {@link #pollTimeout()}. Time is monotonic nanoseconds. Not thread-safe.
 */
public final class Node<C extends Comparable<? super C>, R extends Comparable<? super R>> {
    /**
     * A connection must have a nominated ICE pair this soon after it was made (the reference's
     * HANDSHAKE_TIMEOUT, which it applies only to a client waiting for the gateway's answer).
     */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** The peer must have sent a candidate (or a check) this soon after the connection was made. */
    public static final Duration CANDIDATE_TIMEOUT = Duration.ofSeconds(10);
    /** No data in or out for this long makes a connection idle, with slower keepalives. */
    public static final Duration IDLE_AFTER = Duration.ofSeconds(10);
    /** How long a connection may have no working ICE pair before it fails, waiting for new candidates. */
    public static final Duration DISCONNECT_GRACE = Duration.ofSeconds(5);
    /**
     * A connection goes idle only while every check on its selected pair is answered, and a check
     * unanswered this long brings an idle one back to the normal check pace: a path that died is
     * noticed in seconds, not minutes.
     */
    static final Duration UNANSWERED_BEFORE_ALERT = Duration.ofSeconds(1);
    public static final Duration PERSISTENT_KEEPALIVE = Duration.ofSeconds(25);
    /** The MTU of the tunnel's inner packets. */
    public static final int INNER_MTU = 1280;
    /** The largest UDP payload accepted: MTU + WireGuard (32) + NAT46 slack (20) + ChannelData (4). */
    public static final int MAX_DATAGRAM_PAYLOAD = 1336;
    /** The longest IP packet {@link #encapsulate} takes: the MTU and NAT46's 20 bytes. */
    public static final int MAX_PACKET = INNER_MTU + 20;
    /** Room {@link #encapsulate} needs in front of an IP packet: a ChannelData and a WireGuard header. */
    public static final int HEADROOM = ChannelData.HEADER_LENGTH + WireGuardTunnel.HEADROOM;
    /** Room it needs after the packet: WireGuard padding and tag. */
    public static final int TAILROOM = WireGuardTunnel.TAILROOM;

    static final int MAX_QUEUED = 8192;
    static final int MAX_KNOWN_PATHS = 4096;

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final NodeRole role;
    private final RandomGenerator random;
    private final Instant wallClockAtStart;
    private final long monotonicAtStart;
    private WireGuardTunnel tunnel;
    private String software;

    private final TreeMap<R, TurnAllocation> allocations = new TreeMap<>();
    private final Map<R, Relay<R>> relays = new HashMap<>();
    private final Map<InetSocketAddress, R> relayByAddress = new HashMap<>();

    private final TreeMap<C, Connection<C, R>> connections = new TreeMap<>();
    private final Map<PublicKey, Connection<C, R>> byKey = new HashMap<>();
    /** The same by the tunnel's peer object, so that a received packet finds its connection without hashing a key. */
    private final Map<WireGuardPeer, Connection<C, R>> byPeer = new IdentityHashMap<>();

    private Candidate host4;
    private Candidate host6;
    private Candidate serverReflexive4;
    private Candidate serverReflexive6;

    /** How to reach each peer address we sent to or heard from; the last way wins. */
    private final Map<InetSocketAddress, Path<R>> paths = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Path<R>> eldest) {
            return size() > MAX_KNOWN_PATHS;
        }
    };

    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<NodeEvent<C>> events = new ArrayDeque<>();
    private final long[] drops = new long[DropReason.values().length];
    private final Map<DropReason, Decapsulated<C>> decapsulateDrops = new EnumMap<>(DropReason.class);
    private final Map<DropReason, Encapsulated> encapsulateDrops = new EnumMap<>(DropReason.class);
    private final Decapsulated<C> handled = new Decapsulated.Handled<>();
    private static final Encapsulated QUEUED = new Encapsulated.Queued();
    private final ByteBuffer flushBuffer = ByteBuffer.allocate(HEADROOM + MAX_DATAGRAM_PAYLOAD + TAILROOM);

    private long lastNow;
    private boolean gcDue;
    private boolean closing;

    /**
     * @param random    for keys, ICE tie-breakers and check ids, TURN transaction ids and relay
     *                  choice: a {@link java.security.SecureRandom} outside tests
     * @param wallClock the current wall-clock time, for WireGuard handshake timestamps
     * @param now       the monotonic time in nanoseconds at the same moment
     */
    public Node(NodeRole role, RandomGenerator random, Instant wallClock, long now) {
        this.role = Objects.requireNonNull(role, "role");
        this.random = Objects.requireNonNull(random, "random");
        this.wallClockAtStart = Objects.requireNonNull(wallClock, "wallClock");
        this.monotonicAtStart = now;
        this.lastNow = now;
        for (DropReason reason : DropReason.values()) {
            decapsulateDrops.put(reason, new Decapsulated.Dropped<>(reason));
            encapsulateDrops.put(reason, new Encapsulated.Dropped(reason));
        }
        newIdentity(now);
    }

    public NodeRole role() {
        return role;
    }

    /** Our WireGuard public key, which the portal hands to peers. Changes with {@link #reset}. */
    public PublicKey publicKey() {
        return tunnel.publicKey();
    }

    // ---- Relays --------------------------------------------------------------------------------

    /**
     * Applies the portal's relay list: drops the relays in {@code remove} (their relayed candidates
     * are withdrawn and their connections move to other relays), allocates on new ones (a known id
     * with other addresses or credentials is replaced), and checks that every other known relay is
     * still alive.
     */
    public void updateRelays(Collection<R> remove, Collection<Relay<R>> add, long now) {
        lastNow = now;
        for (R id : remove) {
            relays.remove(id);
            dropAllocation(id, now);
        }
        Set<R> named = new HashSet<>();
        for (Relay<R> relay : add) {
            named.add(relay.id());
            Relay<R> known = relays.get(relay.id());
            if (relay.equals(known) && allocations.containsKey(relay.id())) {
                continue;
            }
            if (known != null) {
                dropAllocation(relay.id(), now);
            }
            relays.put(relay.id(), relay);
            allocate(relay, now);
        }
        for (Map.Entry<R, TurnAllocation> entry : allocations.entrySet()) {
            if (!named.contains(entry.getKey())) {
                entry.getValue().refresh(now);
            }
        }
        drainAllocations(now);
    }

    /** The relays we hold an allocation on (or are getting one from). */
    public Set<R> relays() {
        return Set.copyOf(allocations.keySet());
    }

    private void allocate(Relay<R> relay, long now) {
        TurnAllocation allocation = new TurnAllocation(relay.addresses(), relay.credentials(), software, random, now);
        allocations.put(relay.id(), allocation);
        for (InetSocketAddress address : new InetSocketAddress[] {relay.addresses().ipv4(), relay.addresses().ipv6()}) {
            if (address != null) {
                relayByAddress.put(address, relay.id());
            }
        }
    }

    /** Forgets an allocation (without telling the relay), withdrawing its candidates and re-homing its connections. */
    private void dropAllocation(R id, long now) {
        TurnAllocation allocation = allocations.remove(id);
        if (allocation == null) {
            return;
        }
        relayByAddress.values().removeIf(id::equals);
        for (Candidate relayed : allocation.relayedCandidates()) {
            for (Connection<C, R> connection : connections.values()) {
                withdrawLocal(connection, relayed);
            }
        }
        for (Connection<C, R> connection : connections.values()) {
            if (id.equals(connection.relay)) {
                connection.relay = null;
                rehome(connection, id, now);
            }
        }
    }

    // ---- Connections ---------------------------------------------------------------------------

    /**
     * Creates the connection {@code id} to the peer with {@code remoteKey}, or replaces it if its
     * local ICE credentials or key changed (an unchanged one is left alone). A connection to the
     * same key under another id is closed first: WireGuard tells peers apart by key.
     */
    public void upsertConnection(C id, PublicKey remoteKey, PresharedKey presharedKey, IceCredentials local,
                                 IceCredentials remote, long now) {
        lastNow = now;
        Connection<C, R> existing = connections.get(id);
        if (existing != null && existing.isActive() && existing.localCredentials.equals(local)
                && existing.remoteKey.equals(remoteKey)) {
            return;
        }
        if (existing != null) {
            discard(existing);
        }
        Connection<C, R> sameKey = byKey.get(remoteKey);
        if (sameKey != null) {
            discard(sameKey);
            emit(new NodeEvent.ConnectionClosed<>(sameKey.id));
        }
        IceAgent agent = new IceAgent(role.isIceControlling(), local, remote, IceTimings.DEFAULT, random, now);
        // No persistent keepalive yet: it would start a handshake before ICE has found the peer.
        WireGuardPeer peer = tunnel.addPeer(new PeerConfig(remoteKey, presharedKey, null, null), now);
        Connection<C, R> connection = new Connection<>(id, remoteKey, local, agent, peer, now);
        connections.put(id, connection);
        byKey.put(remoteKey, connection);
        byPeer.put(peer, connection);
        for (Candidate shared : new Candidate[] {host4, host6, serverReflexive4, serverReflexive6}) {
            if (shared != null) {
                offerLocal(connection, shared);
            }
        }
        connection.relay = sampleRelay(null);
        offerRelayed(connection);
        agent.handleTimeout(now);
        pump(connection, now);
    }

    /**
     * A candidate the peer trickled (its SDP string). Also binds a channel on the connection's
     * relay to server-reflexive, peer-reflexive and relayed candidates, so a relayed path can form;
     * only to candidates the agent took, so a peer cannot use up the relay's channel numbers.
     * Returns false for an unknown connection or a string that is not a usable candidate.
     */
    public boolean addRemoteCandidate(C id, String candidate, long now) {
        lastNow = now;
        Connection<C, R> connection = connections.get(id);
        if (connection == null || !connection.isActive()
                || !(CandidateParser.parse(candidate) instanceof CandidateParser.Parsed parsed)) {
            return false;
        }
        boolean added = connection.agent.addRemoteCandidate(parsed.candidate());
        if (added) {
            bindChannel(connection, parsed.candidate(), now);
        }
        connection.agent.handleTimeout(now);
        pump(connection, now);
        drainAllocations(now);
        return added;
    }

    /** The peer withdrew a candidate. Returns whether the connection knew it. */
    public boolean removeRemoteCandidate(C id, String candidate, long now) {
        lastNow = now;
        Connection<C, R> connection = connections.get(id);
        if (connection == null || !(CandidateParser.parse(candidate) instanceof CandidateParser.Parsed parsed)) {
            return false;
        }
        boolean removed = connection.agent.invalidateRemoteCandidate(parsed.candidate());
        connection.agent.handleTimeout(now);
        pump(connection, now);
        return removed;
    }

    /** Closes a connection; {@link NodeEvent.ConnectionClosed} follows. */
    public void removeConnection(C id, long now) {
        lastNow = now;
        Connection<C, R> connection = connections.get(id);
        if (connection != null) {
            discard(connection);
            emit(new NodeEvent.ConnectionClosed<>(id));
        }
    }

    public int connectionCount() {
        return connections.size();
    }

    public Set<C> connectionIds() {
        return Set.copyOf(connections.keySet());
    }

    /** The connection with this peer key, once its WireGuard handshake has completed. */
    public Optional<C> connectionId(PublicKey remoteKey) {
        Connection<C, R> connection = byKey.get(remoteKey);
        return connection != null && connection.established ? Optional.of(connection.id) : Optional.empty();
    }

    /** The way the connection's packets take now, if one is known. */
    public Optional<PeerPath<R>> path(C id) {
        Connection<C, R> connection = connections.get(id);
        if (connection == null || connection.peer.endpoint() == null) {
            return Optional.empty();
        }
        Path<R> path = paths.get(connection.peer.endpoint());
        if (path == null) {
            return Optional.empty();
        }
        boolean remoteIsRelayed = isPeerRelayedAt(connection, path.remote());
        return Optional.of(switch (path) {
            case Path.Direct<R> direct -> new PeerPath<>(direct.local(), null, direct.remote(), remoteIsRelayed);
            case Path.Relayed<R> relayed -> new PeerPath<>(null, relayed.relay, relayed.remote(), remoteIsRelayed);
        });
    }

    /** The state of the connection's ICE agent, for diagnostics. */
    public Optional<IceState> iceState(C id) {
        return Optional.ofNullable(connections.get(id)).map(connection -> connection.agent.state());
    }

    // ---- Network change and shutdown -----------------------------------------------------------

    /**
     * After a network change: closes every connection ({@link NodeEvent.ConnectionClosed} for each),
     * forgets candidates and allocations (the relays keep theirs until they expire: the caller must
     * bind new sockets, which makes new ones), makes a new WireGuard key, and allocates afresh on
     * the relays it knew.
     */
    public void reset(long now) {
        lastNow = now;
        transmits.clear();
        events.clear();
        for (C id : List.copyOf(connections.keySet())) {
            emit(new NodeEvent.ConnectionClosed<>(id));
        }
        connections.clear();
        byKey.clear();
        byPeer.clear();
        paths.clear();
        host4 = host6 = serverReflexive4 = serverReflexive6 = null;
        allocations.clear();
        relayByAddress.clear();
        newIdentity(now);
        relays.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(relay -> allocate(relay, now));
        drainAllocations(now);
    }

    /**
     * Shutting down: closes every connection and releases every allocation on its relay. Keep
     * driving the node until {@link #isClosed()} (a few seconds at most, if a relay is gone).
     */
    public void close(long now) {
        lastNow = now;
        closing = true;
        for (Connection<C, R> connection : List.copyOf(connections.values())) {
            discard(connection);
            emit(new NodeEvent.ConnectionClosed<>(connection.id));
        }
        for (TurnAllocation allocation : allocations.values()) {
            allocation.release(now);
        }
        drainAllocations(now);
    }

    /** After {@link #close}: every allocation is released (or its relay did not answer). */
    public boolean isClosed() {
        return closing && allocations.isEmpty();
    }

    // ---- Network input -------------------------------------------------------------------------

    /**
     * A datagram from {@code from} that arrived on our {@code local} address (the destination IP of
     * the datagram with our port). In order: a datagram from a relay starting with 0-3 is TURN for
     * that relay; one starting with 64-79 is ChannelData and what it carries continues as if the peer
     * had sent it to our relayed address; a STUN message is offered to the connections' ICE agents;
     * anything else goes to WireGuard, which finds the connection by receiver index. The buffer
     * must be writable: data is decrypted in place.
     */
    public Decapsulated<C> decapsulate(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long now) {
        lastNow = now;
        if (datagram.remaining() > MAX_DATAGRAM_PAYLOAD) {
            return dropped(DropReason.DATAGRAM_TOO_LARGE);
        }
        if (!isUsableLocalAddress(local)) {
            return dropped(DropReason.BAD_LOCAL_ADDRESS);
        }
        learnHostCandidate(local);
        R relayId = relayByAddress.get(from);
        if (relayId != null && datagram.hasRemaining()) {
            TurnAllocation allocation = allocations.get(relayId);
            int first = datagram.get(datagram.position()) & 0xFF;
            if (first <= 3) {
                allocation.handleStun(datagram, from, local, now);
                drainAllocations(now);
                return handled;
            }
            if (first >= 0x40 && first <= 0x4F) {
                InetSocketAddress peer = allocation.receiveChannelData(datagram, now);
                InetSocketAddress relayed = peer == null ? null : allocation.relayedAddressFor(peer);
                if (relayed == null) {
                    return dropped(DropReason.BAD_CHANNEL_DATA);
                }
                return fromPeer(relayed, peer, datagram, relayId, now);
            }
        }
        return fromPeer(local, from, datagram, null, now);
    }

    /** A datagram from a peer: to us directly at {@code destination}, or through relay {@code viaRelay}. */
    private Decapsulated<C> fromPeer(InetSocketAddress destination, InetSocketAddress from, ByteBuffer datagram,
                                     R viaRelay, long now) {
        if (StunDecoder.looksLikeStun(datagram)
                && StunDecoder.decode(datagram) instanceof StunDecodeResult.Decoded decoded) {
            for (Connection<C, R> connection : connections.values()) {
                if (connection.isActive() && connection.agent.handleStun(decoded.received(), from, destination, now)) {
                    pump(connection, now);
                    return handled;
                }
            }
            return dropped(DropReason.UNHANDLED_STUN);
        }
        long dropsBefore = tunnel.drops().total();
        WireGuardPeer sender = tunnel.decapsulate(datagram, from, now);
        // The tunnel counts every datagram it refuses; one it took without returning a packet was a
        // handshake message, a cookie reply or a keepalive: authenticated all the same.
        boolean authenticated = sender != null || tunnel.drops().total() == dropsBefore;
        Path<R> arrival = authenticated ? learnPath(from, destination, viaRelay) : null;
        drainReplies(from, arrival, destination, viaRelay, now);
        if (sender == null) {
            return authenticated ? handled : dropped(DropReason.REJECTED_BY_WIREGUARD);
        }
        Connection<C, R> connection = byPeer.get(sender);
        if (connection == null || !connection.isActive()) {
            return dropped(DropReason.NOT_CONNECTED);
        }
        markActivity(connection, now);
        return connection.packet;
    }

    private Path<R> learnPath(InetSocketAddress remote, InetSocketAddress local, R viaRelay) {
        Path<R> known = paths.get(remote);
        if (known != null && matches(known, local, viaRelay)) {
            return known;
        }
        Path<R> learned = pathBack(remote, local, viaRelay);
        paths.put(remote, learned);
        return learned;
    }

    private static <R> boolean matches(Path<R> path, InetSocketAddress local, R viaRelay) {
        return switch (path) {
            case Path.Direct<R> direct -> viaRelay == null && direct.local().equals(local);
            case Path.Relayed<R> relayed -> relayed.relay.equals(viaRelay);
        };
    }

    private static <R> Path<R> pathBack(InetSocketAddress remote, InetSocketAddress local, R viaRelay) {
        return viaRelay == null ? new Path.Direct<>(local, remote) : new Path.Relayed<>(viaRelay, remote);
    }

    private static boolean isUsableLocalAddress(InetSocketAddress local) {
        if (!Candidate.isUsableAddress(local) || local.getAddress().isAnyLocalAddress()) {
            return false;
        }
        return !(local.getAddress() instanceof Inet4Address && local.getAddress().isLinkLocalAddress());
    }

    // ---- TUN input -----------------------------------------------------------------------------

    /**
     * Encrypts the IP packet between the buffer's position and limit for connection {@code id}.
     * The buffer needs {@link #HEADROOM} bytes before the position and {@link #TAILROOM} after the
     * limit; on {@link Encapsulated.Send} it holds the datagram to send. While no way to the peer
     * is known yet the packet is kept ({@link Encapsulated.Queued}) and sent once it is. A packet
     * longer than {@link #MAX_PACKET} is dropped: no peer would take the datagram.
     */
    public Encapsulated encapsulate(C id, ByteBuffer packet, long now) {
        lastNow = now;
        Connection<C, R> connection = connections.get(id);
        if (connection == null || !connection.isActive()) {
            return refused(DropReason.NOT_CONNECTED);
        }
        if (packet.remaining() > MAX_PACKET) {
            return refused(DropReason.PACKET_TOO_LARGE);
        }
        markActivity(connection, now);
        InetSocketAddress endpoint = connection.peer.endpoint();
        Path<R> path = endpoint == null ? null : paths.get(endpoint);
        if (path == null) {
            keepPending(connection, packet);
            return QUEUED;
        }
        boolean sealed = tunnel.encapsulate(connection.peer, packet, now);
        drainTunnel(now);
        if (!sealed) {
            return QUEUED;
        }
        return switch (path) {
            case Path.Direct<R> direct -> direct.send();
            case Path.Relayed<R> relayed -> {
                TurnAllocation allocation = allocations.get(relayed.relay);
                if (allocation == null || !allocation.wrapChannelData(relayed.remote(), packet, now)) {
                    yield refused(DropReason.NO_PATH);
                }
                yield relayed.sendVia(allocation.activeServerAddress());
            }
        };
    }

    private void keepPending(Connection<C, R> connection, ByteBuffer packet) {
        if (connection.pending.size() >= Connection.MAX_PENDING) {
            connection.pending.poll();
            count(DropReason.PENDING_QUEUE_FULL);
        }
        byte[] copy = new byte[packet.remaining()];
        packet.get(packet.position(), copy);
        connection.pending.add(copy);
    }

    // ---- Time ----------------------------------------------------------------------------------

    /** Retransmissions, refreshes, checks, WireGuard timers, idle and failure detection. */
    public void handleTimeout(long now) {
        lastNow = now;
        for (TurnAllocation allocation : allocations.values()) {
            allocation.handleTimeout(now);
        }
        drainAllocations(now);
        freeFinishedAllocations(now);
        for (Connection<C, R> connection : List.copyOf(connections.values())) {
            if (connection.isActive()) {
                connection.agent.handleTimeout(now);
                pump(connection, now);
                checkTimers(connection, now);
            }
        }
        tunnel.handleTimeout(now);
        drainTunnel(now);
        drainAllocations(now);
        collectFailed();
    }

    /** The next instant {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        if (gcDue) {
            return lastNow;
        }
        long earliest = tunnel.pollTimeout();
        for (TurnAllocation allocation : allocations.values()) {
            earliest = Math.min(earliest, allocation.freeReason().isPresent() ? lastNow : allocation.pollTimeout());
        }
        for (Connection<C, R> connection : connections.values()) {
            earliest = Math.min(earliest, connection.agent.pollTimeout());
            earliest = Math.min(earliest, nextDeadline(connection));
        }
        return earliest;
    }

    public Transmit pollTransmit() {
        return transmits.poll();
    }

    public NodeEvent<C> pollEvent() {
        return events.poll();
    }

    /** Datagrams and packets dropped, by reason, since the node was made. */
    public Map<DropReason, Long> drops() {
        Map<DropReason, Long> snapshot = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            if (drops[reason.ordinal()] != 0) {
                snapshot.put(reason, drops[reason.ordinal()]);
            }
        }
        return snapshot;
    }

    /** What WireGuard dropped, by its own reasons. */
    public Map<dev.zonewire.wireguard.DropReason, Long> wireGuardDrops() {
        return tunnel.drops().snapshot();
    }

    private void checkTimers(Connection<C, R> connection, long now) {
        boolean pathAnswers = connection.agent.state() == IceState.CONNECTED
                && connection.agent.selectedPairUnansweredSince() == Long.MAX_VALUE;
        if (connection.state == Connection.State.CONNECTED && now - connection.lastDataAt >= IDLE_AFTER.toNanos()
                && pathAnswers) {
            connection.state = Connection.State.IDLE;
            connection.agent.setTimings(IceTimings.IDLE);
        } else if (connection.state == Connection.State.IDLE && !pathAnswers
                && (connection.agent.state() != IceState.CONNECTED
                || now - connection.agent.selectedPairUnansweredSince() >= UNANSWERED_BEFORE_ALERT.toNanos())) {
            // Quiet because the path died, not because nobody talks: detect it at the normal pace.
            connection.state = Connection.State.CONNECTED;
            connection.agent.setTimings(IceTimings.DEFAULT);
        }
        if (connection.agent.remoteCandidates().isEmpty() && now - connection.createdAt >= CANDIDATE_TIMEOUT.toNanos()) {
            connection.fail(FailureReason.NO_REMOTE_CANDIDATES);
        }
        if (connection.state == Connection.State.CONNECTING && now - connection.createdAt >= CONNECT_TIMEOUT.toNanos()) {
            connection.fail(FailureReason.CONNECT_TIMEOUT);
        }
        if (connection.agent.state() != IceState.DISCONNECTED) {
            connection.disconnectedSince = Connection.NEVER;
        } else if (connection.disconnectedSince == Connection.NEVER) {
            connection.disconnectedSince = now;
        } else if (now - connection.disconnectedSince >= DISCONNECT_GRACE.toNanos()) {
            connection.fail(FailureReason.ICE_FAILED);
        }
        gcDue |= !connection.isActive();
    }

    private long nextDeadline(Connection<C, R> connection) {
        long earliest = Long.MAX_VALUE;
        long unansweredSince = connection.agent.selectedPairUnansweredSince();
        boolean iceConnected = connection.agent.state() == IceState.CONNECTED;
        if (connection.state == Connection.State.CONNECTED && iceConnected && unansweredSince == Long.MAX_VALUE) {
            earliest = connection.lastDataAt + IDLE_AFTER.toNanos();
        }
        if (connection.state == Connection.State.IDLE) {
            if (!iceConnected) {
                earliest = lastNow;
            } else if (unansweredSince != Long.MAX_VALUE) {
                earliest = Math.min(earliest, unansweredSince + UNANSWERED_BEFORE_ALERT.toNanos());
            }
        }
        if (connection.agent.remoteCandidates().isEmpty()) {
            earliest = Math.min(earliest, connection.createdAt + CANDIDATE_TIMEOUT.toNanos());
        }
        if (connection.state == Connection.State.CONNECTING) {
            earliest = Math.min(earliest, connection.createdAt + CONNECT_TIMEOUT.toNanos());
        }
        if (connection.agent.state() == IceState.DISCONNECTED) {
            earliest = Math.min(earliest, connection.disconnectedSince == Connection.NEVER
                    ? lastNow : connection.disconnectedSince + DISCONNECT_GRACE.toNanos());
        }
        return earliest;
    }

    private void collectFailed() {
        gcDue = false;
        for (Connection<C, R> connection : List.copyOf(connections.values())) {
            if (!connection.isActive()) {
                log.info("connection {} failed: {}", connection.id, connection.failure);
                discard(connection);
                emit(new NodeEvent.ConnectionFailed<>(connection.id, connection.failure));
            }
        }
    }

    private void markActivity(Connection<C, R> connection, long now) {
        connection.lastDataAt = now;
        if (connection.state == Connection.State.IDLE) {
            connection.state = Connection.State.CONNECTED;
            connection.agent.setTimings(IceTimings.DEFAULT);
        }
    }

    /** Whether the peer offered {@code address} as a relayed candidate of its own. */
    private static boolean isPeerRelayedAt(Connection<?, ?> connection, InetSocketAddress address) {
        return connection.agent.remoteCandidates().stream().anyMatch(candidate ->
                candidate.kind() == Candidate.Kind.RELAYED && candidate.address().equals(address));
    }

    private void discard(Connection<C, R> connection) {
        connections.remove(connection.id, connection);
        byKey.remove(connection.remoteKey, connection);
        byPeer.remove(connection.peer, connection);
        tunnel.removePeer(connection.remoteKey);
    }

    // ---- ICE -----------------------------------------------------------------------------------

    /** Drains a connection's ICE agent: acts on its events and sends its checks. */
    private void pump(Connection<C, R> connection, long now) {
        for (IceEvent event = connection.agent.pollEvent(); event != null; event = connection.agent.pollEvent()) {
            switch (event) {
                case IceEvent.Nominated nominated -> onNominated(connection, nominated, now);
                case IceEvent.NominationLost lost -> onNominationLost(connection, lost, now);
                case IceEvent.RemoteAddressSeen seen -> log.debug("{}: checks arrive from {}", connection.id, seen.remote());
                case IceEvent.StateChanged changed -> log.debug("{}: ICE {}", connection.id, changed.state());
            }
        }
        for (IceTransmit transmit = connection.agent.pollTransmit(); transmit != null;
             transmit = connection.agent.pollTransmit()) {
            send(pathFrom(connection, transmit.source(), transmit.destination()), transmit.destination(),
                    transmit.payload(), now);
        }
    }

    private void onNominated(Connection<C, R> connection, IceEvent.Nominated nominated, long now) {
        Path<R> path = pathFrom(connection, nominated.localBase(), nominated.remote());
        log.debug("{}: nominated {}", connection.id, path);
        paths.put(nominated.remote(), path);
        connection.peer.setEndpoint(nominated.remote());
        if (connection.state == Connection.State.CONNECTING) {
            connection.state = Connection.State.CONNECTED;
            connection.lastDataAt = now;
        }
        boolean flushed = flushPending(connection, now);
        if (role.isIceControlling() && !flushed) {
            // An empty packet is a WireGuard keepalive: without a session it starts the handshake,
            // with one it tells the peer our packets now come this new way.
            flushBuffer.clear().position(HEADROOM).limit(HEADROOM);
            sealAndSend(connection, flushBuffer, now);
        }
    }

    /**
     * The selected pair stopped working. A relay on it may have died: ours if we sent from our
     * relayed address, or the one at the peer's address if that is a relay we know too. Each is
     * probed quickly (connections move off a relay that does not answer) and refreshed (an
     * allocation whose REFRESH goes unanswered is dropped). If the peer's address is not on a
     * relay, our relay is the only suspect and the connection moves to another one right away.
     */
    private void onNominationLost(Connection<C, R> connection, IceEvent.NominationLost lost, long now) {
        R ours = relayOwning(connection, lost.localBase());
        R theirs = relayAt(lost.remote());
        checkRelay(ours, now);
        if (theirs != null && !theirs.equals(ours)) {
            checkRelay(theirs, now);
        }
        boolean peerOnRelay = isPeerRelayedAt(connection, lost.remote());
        if (ours != null && !peerOnRelay) {
            log.info("{}: the path through relay {} stopped working; moving to another relay", connection.id, ours);
            rehome(connection, ours, now);
        }
        drainAllocations(now);
    }

    private void checkRelay(R relay, long now) {
        if (relay != null) {
            allocations.get(relay).probe(now);
            allocations.get(relay).refresh(now);
        }
    }

    /** A relay did not answer a probe: every connection on it moves to another relay. */
    private void relayUnresponsive(R relay, long now) {
        log.warn("relay {} does not answer; moving its connections", relay);
        for (Connection<C, R> connection : List.copyOf(connections.values())) {
            if (relay.equals(connection.relay) && connection.isActive()) {
                rehome(connection, relay, now);
            }
        }
    }

    /** The relay we know that listens on the IP of {@code address}, e.g. a peer's relayed address. */
    private R relayAt(InetSocketAddress address) {
        for (Map.Entry<InetSocketAddress, R> entry : relayByAddress.entrySet()) {
            if (entry.getKey().getAddress().equals(address.getAddress())) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Our relay that owns {@code address}, or null for a host address. The connection's own relay is tried first. */
    private R relayOwning(Connection<C, R> connection, InetSocketAddress address) {
        if (connection.relay != null) {
            TurnAllocation own = allocations.get(connection.relay);
            if (own != null && own.isRelayedAddress(address)) {
                return connection.relay;
            }
        }
        for (Map.Entry<R, TurnAllocation> entry : allocations.entrySet()) {
            if (entry.getValue().isRelayedAddress(address)) {
                return entry.getKey();
            }
        }
        return null;
    }

    private Path<R> pathFrom(Connection<C, R> connection, InetSocketAddress localBase, InetSocketAddress remote) {
        R relay = relayOwning(connection, localBase);
        return relay == null ? new Path.Direct<>(localBase, remote) : new Path.Relayed<>(relay, remote);
    }

    private boolean flushPending(Connection<C, R> connection, long now) {
        boolean any = !connection.pending.isEmpty();
        while (!connection.pending.isEmpty()) {
            byte[] packet = connection.pending.poll();
            flushBuffer.clear().position(HEADROOM);
            flushBuffer.put(packet).flip().position(HEADROOM);
            sealAndSend(connection, flushBuffer, now);
        }
        return any;
    }

    /** Encapsulates from the flush buffer and queues the result as a transmit of its own. */
    private void sealAndSend(Connection<C, R> connection, ByteBuffer buffer, long now) {
        boolean sealed = tunnel.encapsulate(connection.peer, buffer, now);
        drainTunnel(now);
        if (sealed) {
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(buffer.position(), datagram);
            InetSocketAddress endpoint = connection.peer.endpoint();
            send(paths.get(endpoint), endpoint, datagram, now);
        }
    }

    // ---- Candidates and relays -----------------------------------------------------------------

    private void learnHostCandidate(InetSocketAddress local) {
        boolean ipv4 = local.getAddress() instanceof Inet4Address;
        Candidate current = ipv4 ? host4 : host6;
        if (current != null && current.address().equals(local)) {
            return;
        }
        Candidate host = Candidate.host(local);
        if (ipv4) {
            host4 = host;
        } else {
            host6 = host;
        }
        for (Connection<C, R> connection : connections.values()) {
            if (connection.isActive()) {
                offerLocal(connection, host);
            }
        }
    }

    /**
     * Makes one of our addresses known before any datagram arrives on it, e.g. the address the
     * driver's socket is bound to, so that the first checks can use it.
     */
    public void addLocalAddress(InetSocketAddress address, long now) {
        lastNow = now;
        if (isUsableLocalAddress(address)) {
            learnHostCandidate(address);
        }
    }

    /** Host and relayed candidates go into the agent; server-reflexive ones are only signalled. */
    private void offerLocal(Connection<C, R> connection, Candidate candidate) {
        boolean fresh = candidate.kind() == Candidate.Kind.SERVER_REFLEXIVE || connection.agent.addLocalCandidate(candidate);
        if (fresh && connection.signalled.add(candidate)) {
            emit(new NodeEvent.NewIceCandidate<>(connection.id, candidate.toSdp()));
        }
    }

    private void withdrawLocal(Connection<C, R> connection, Candidate candidate) {
        connection.agent.invalidateLocalCandidate(candidate);
        if (connection.signalled.remove(candidate)) {
            emit(new NodeEvent.InvalidateIceCandidate<>(connection.id, candidate.toSdp()));
        }
    }

    private void offerRelayed(Connection<C, R> connection) {
        TurnAllocation allocation = connection.relay == null ? null : allocations.get(connection.relay);
        if (allocation == null) {
            return;
        }
        for (Candidate relayed : allocation.relayedCandidates()) {
            offerLocal(connection, relayed);
        }
    }

    private void bindChannel(Connection<C, R> connection, Candidate remote, long now) {
        TurnAllocation allocation = connection.relay == null ? null : allocations.get(connection.relay);
        if (allocation != null && remote.kind() != Candidate.Kind.HOST) {
            allocation.bindChannel(remote.address(), now);
        }
    }

    /**
     * A relay chosen at random among those with relayed addresses (any, failing that), other than
     * {@code avoid}; relays that did not answer a probe only if nothing else is left.
     */
    private R sampleRelay(R avoid) {
        List<R> ready = new ArrayList<>();
        List<R> any = new ArrayList<>();
        List<R> unresponsive = new ArrayList<>();
        for (Map.Entry<R, TurnAllocation> entry : allocations.entrySet()) {
            TurnAllocation allocation = entry.getValue();
            if (entry.getKey().equals(avoid) || allocation.freeReason().isPresent()) {
                continue;
            }
            (!allocation.isResponsive() ? unresponsive : allocation.hasAllocation() ? ready : any).add(entry.getKey());
        }
        List<R> pool = !ready.isEmpty() ? ready : !any.isEmpty() ? any : unresponsive;
        return pool.isEmpty() ? null : pool.get(random.nextInt(pool.size()));
    }

    /** Moves a connection off relay {@code avoid}: withdraws its relayed candidates and offers another relay's. */
    private void rehome(Connection<C, R> connection, R avoid, long now) {
        R next = sampleRelay(avoid);
        if (next == null || next.equals(connection.relay)) {
            return;
        }
        TurnAllocation old = connection.relay == null ? null : allocations.get(connection.relay);
        if (old != null) {
            for (Candidate relayed : old.relayedCandidates()) {
                withdrawLocal(connection, relayed);
            }
        }
        log.info("{}: now using relay {}", connection.id, next);
        connection.relay = next;
        offerRelayed(connection);
        for (Candidate remote : connection.agent.remoteCandidates()) {
            bindChannel(connection, remote, now);
        }
        connection.agent.handleTimeout(now);
        pump(connection, now);
    }

    /** Sends what the allocations produced and acts on their events, until they are quiet. */
    private void drainAllocations(long now) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Map.Entry<R, TurnAllocation> entry : List.copyOf(allocations.entrySet())) {
                R id = entry.getKey();
                TurnAllocation allocation = entry.getValue();
                for (TurnTransmit transmit = allocation.pollTransmit(); transmit != null; transmit = allocation.pollTransmit()) {
                    progress = true;
                    queue(new Transmit(null, transmit.destination(), transmit.payload()));
                }
                for (TurnEvent event = allocation.pollEvent(); event != null; event = allocation.pollEvent()) {
                    progress = true;
                    switch (event) {
                        case TurnEvent.CandidateAdded added -> candidateAdded(id, added.candidate(), now);
                        case TurnEvent.CandidateRemoved removed -> candidateRemoved(removed.candidate());
                        case TurnEvent.Unresponsive ignored -> relayUnresponsive(id, now);
                    }
                }
            }
        }
    }

    private void candidateAdded(R relay, Candidate candidate, long now) {
        if (candidate.kind() == Candidate.Kind.SERVER_REFLEXIVE) {
            if (candidate.isIpv4()) {
                serverReflexive4 = candidate;
            } else {
                serverReflexive6 = candidate;
            }
            // Unlike the reference, existing connections hear of it too.
            for (Connection<C, R> connection : connections.values()) {
                if (connection.isActive()) {
                    offerLocal(connection, candidate);
                }
            }
            return;
        }
        for (Connection<C, R> connection : connections.values()) {
            if (!connection.isActive()) {
                continue;
            }
            if (connection.relay == null) {
                connection.relay = relay;
            }
            if (relay.equals(connection.relay)) {
                offerLocal(connection, candidate);
                for (Candidate remote : connection.agent.remoteCandidates()) {
                    bindChannel(connection, remote, now);
                }
            }
        }
    }

    private void candidateRemoved(Candidate candidate) {
        if (candidate.equals(serverReflexive4)) {
            serverReflexive4 = null;
        } else if (candidate.equals(serverReflexive6)) {
            serverReflexive6 = null;
        }
        for (Connection<C, R> connection : connections.values()) {
            withdrawLocal(connection, candidate);
        }
    }

    private void freeFinishedAllocations(long now) {
        for (Map.Entry<R, TurnAllocation> entry : List.copyOf(allocations.entrySet())) {
            Optional<FreeReason> reason = entry.getValue().freeReason();
            if (reason.isPresent()) {
                if (reason.get() != FreeReason.RELEASED) {
                    log.warn("dropping relay {}: {}", entry.getKey(), reason.get());
                }
                dropAllocation(entry.getKey(), now);
                relays.remove(entry.getKey());
            }
        }
        drainAllocations(now);
    }

    // ---- WireGuard -----------------------------------------------------------------------------

    /** Sends what the tunnel produced; each datagram goes the known way to its destination. */
    private void drainTunnel(long now) {
        for (dev.zonewire.wireguard.Transmit transmit = tunnel.pollTransmit(); transmit != null;
             transmit = tunnel.pollTransmit()) {
            send(paths.get(transmit.destination()), transmit.destination(), transmit.datagram(), now);
        }
        handleTunnelEvents();
    }

    /**
     * Like {@link #drainTunnel}, after a datagram from {@code replyTo}: an answer to it (a handshake
     * response, a cookie reply) goes back the way it came, even if the tunnel refused it.
     */
    private void drainReplies(InetSocketAddress replyTo, Path<R> arrival, InetSocketAddress local, R viaRelay, long now) {
        for (dev.zonewire.wireguard.Transmit transmit = tunnel.pollTransmit(); transmit != null;
             transmit = tunnel.pollTransmit()) {
            InetSocketAddress destination = transmit.destination();
            Path<R> path = paths.get(destination);
            if (destination.equals(replyTo)) {
                path = arrival != null ? arrival : pathBack(replyTo, local, viaRelay);
            }
            send(path, destination, transmit.datagram(), now);
        }
        handleTunnelEvents();
    }

    private void handleTunnelEvents() {
        for (WireGuardEvent event = tunnel.pollEvent(); event != null; event = tunnel.pollEvent()) {
            Connection<C, R> connection = byKey.get(event.peer());
            if (connection == null) {
                continue;
            }
            switch (event) {
                case WireGuardEvent.HandshakeCompleted ignored -> {
                    if (!connection.established) {
                        connection.established = true;
                        connection.peer.setPersistentKeepalive(PERSISTENT_KEEPALIVE, lastNow);
                        log.info("connection {} established", connection.id);
                        emit(new NodeEvent.ConnectionEstablished<>(connection.id));
                    }
                }
                case WireGuardEvent.HandshakeAbandoned ignored -> expire(connection);
                case WireGuardEvent.SessionsCleared ignored -> expire(connection);
            }
        }
    }

    private void expire(Connection<C, R> connection) {
        connection.fail(FailureReason.WIREGUARD_EXPIRED);
        gcDue = true;
    }

    private void send(Path<R> path, InetSocketAddress destination, byte[] payload, long now) {
        switch (path) {
            case null -> count(DropReason.NO_PATH);
            case Path.Direct<R> direct -> queue(new Transmit(direct.local(), destination, payload));
            case Path.Relayed<R> relayed -> {
                TurnAllocation allocation = allocations.get(relayed.relay);
                byte[] framed = allocation == null ? null : allocation.encodeChannelData(destination, payload, now);
                if (framed == null) {
                    count(DropReason.NO_PATH);
                } else {
                    queue(new Transmit(null, allocation.activeServerAddress(), framed));
                }
            }
        }
    }

    private void newIdentity(long now) {
        Instant wallClock = wallClockAtStart.plusNanos(now - monotonicAtStart);
        // WireGuard pads to 16 bytes but not past this: a NAT46 packet of MAX_PACKET bytes must
        // still fit the datagram the peer accepts.
        tunnel = new WireGuardTunnel(PrivateKey.generate(random), TunnelSettings.DEFAULTS.withMtu(MAX_PACKET), random,
                wallClock, now);
        software = "snownet; session=" + sessionId(tunnel.publicKey());
    }

    /** SHA-256 of "SESSION-ID" and our public key, in upper-case hex: what relays log us as. */
    static String sessionId(PublicKey key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("SESSION-ID".getBytes(StandardCharsets.US_ASCII));
            sha256.update(key.bytes());
            return HexFormat.of().withUpperCase().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    // ---- Output --------------------------------------------------------------------------------

    private void queue(Transmit transmit) {
        if (transmits.size() >= MAX_QUEUED) {
            count(DropReason.OUTPUT_QUEUE_FULL);
            return;
        }
        transmits.add(transmit);
    }

    private void emit(NodeEvent<C> event) {
        if (events.size() >= MAX_QUEUED) {
            count(DropReason.OUTPUT_QUEUE_FULL);
            return;
        }
        events.add(event);
    }

    private void count(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    private Decapsulated<C> dropped(DropReason reason) {
        count(reason);
        return decapsulateDrops.get(reason);
    }

    private Encapsulated refused(DropReason reason) {
        count(reason);
        return encapsulateDrops.get(reason);
    }
}

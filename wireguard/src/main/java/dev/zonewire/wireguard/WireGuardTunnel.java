package dev.zonewire.wireguard;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WireGuard interface without IO: our static key, its peers, the index table that routes incoming
 * messages to them, and the cookie and rate-limit defences. A driver feeds it datagrams from the
 * UDP socket ({@link #decapsulate}), IP packets from the TUN device ({@link #encapsulate}) and the
 * time ({@link #handleTimeout}); it then drains {@link #pollTransmit()} and {@link #pollEvent()} and
 * sleeps until {@link #pollTimeout()}.
 *
 * <p>Data packets are sealed and opened in the caller's buffer. The only allocation per packet is
 * the JDK cipher's re-initialisation for the packet's nonce (about 2 KB of short-lived objects,
 * measured in docs/perf.md). A buffer for {@link #encapsulate} needs {@link #HEADROOM}
 * bytes before the IP packet and {@link #TAILROOM} after it. Time is monotonic nanoseconds on every call; the wall clock is read
 * once, at construction, for handshake timestamps and {@code wg show}. Not thread-safe: one thread
 * owns a tunnel.
 */
public final class WireGuardTunnel {
    /** Bytes needed before an IP packet given to {@link #encapsulate}: the transport header. */
    public static final int HEADROOM = Messages.TRANSPORT_HEADER_LENGTH;
    /** Bytes needed after it: up to 15 bytes of padding and the 16-byte tag. */
    public static final int TAILROOM = Protocol.PADDING_MULTIPLE - 1 + ChaCha20Poly1305.TAG_LENGTH;
    /** The largest datagram the tunnel reads or writes. */
    public static final int MAX_DATAGRAM_LENGTH = 65535;

    private static final Logger log = LoggerFactory.getLogger(WireGuardTunnel.class);

    private final TunnelSettings settings;
    private final RandomGenerator random;
    private final Instant wallClockAtStart;
    private final long monotonicAtStart;

    private LocalIdentity identity;
    private CookieChecker cookieChecker;
    private final LoadMonitor loadMonitor;
    private final SourceRateLimiter rateLimiter = new SourceRateLimiter();
    private boolean rateLimiterSweepScheduled;
    private long nextRateLimiterSweep;
    private final IndexTable indices = new IndexTable();
    private final Map<PublicKey, WireGuardPeer> peers = new LinkedHashMap<>();

    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<WireGuardEvent> events = new ArrayDeque<>();
    private final DropCounters drops = new DropCounters();
    /** Working copy for datagrams that arrive in direct buffers, which the JDK cipher cannot use in place. */
    private final byte[] scratch = new byte[HEADROOM + MAX_DATAGRAM_LENGTH + TAILROOM];
    private WireGuardPeer lastSender;

    /**
     * @param privateKey our static key
     * @param random     for ephemeral keys, indices, cookies and timer jitter: a
     *                   {@link java.security.SecureRandom} outside tests
     * @param wallClock  the current wall-clock time, read once
     * @param now        the monotonic time in nanoseconds at the same moment
     */
    public WireGuardTunnel(PrivateKey privateKey, TunnelSettings settings, RandomGenerator random,
                           Instant wallClock, long now) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.wallClockAtStart = Objects.requireNonNull(wallClock, "wallClock");
        this.monotonicAtStart = now;
        this.identity = new LocalIdentity(Objects.requireNonNull(privateKey, "privateKey"));
        this.cookieChecker = new CookieChecker(identity.publicKey);
        this.loadMonitor = new LoadMonitor(settings.underLoadHandshakesPerSecond());
    }

    public PublicKey publicKey() {
        return identity.publicKey;
    }

    public PrivateKey privateKey() {
        return identity.privateKey;
    }

    /**
     * Replaces our static key. Sessions made with the old key stop sending, so every active peer
     * handshakes again with the new one.
     */
    public void setPrivateKey(PrivateKey privateKey) {
        LocalIdentity old = identity;
        identity = new LocalIdentity(Objects.requireNonNull(privateKey, "privateKey"));
        cookieChecker = new CookieChecker(identity.publicKey);
        for (WireGuardPeer peer : peers.values()) {
            peer.expireSessionsForNewIdentity(identity);
        }
        old.wipe();
    }

    /** Adds a peer, or returns the existing one with that public key unchanged. */
    public WireGuardPeer addPeer(PeerConfig config, long now) {
        WireGuardPeer existing = peers.get(config.publicKey());
        if (existing != null) {
            return existing;
        }
        WireGuardPeer peer = new WireGuardPeer(this, config);
        peers.put(config.publicKey(), peer);
        peer.start(now);
        return peer;
    }

    /** Removes a peer and erases its keys; its indices stop resolving at once. */
    public void removePeer(PublicKey publicKey) {
        WireGuardPeer peer = peers.remove(publicKey);
        if (peer != null) {
            peer.clearSessions();
        }
    }

    public WireGuardPeer peer(PublicKey publicKey) {
        return peers.get(publicKey);
    }

    public Collection<WireGuardPeer> peers() {
        return Collections.unmodifiableCollection(peers.values());
    }

    /** Drops by reason since the tunnel was made. */
    public DropCounters drops() {
        return drops;
    }

    /** Whether handshake messages currently need a valid cookie (mac2). */
    public boolean isUnderLoad(long now) {
        return loadMonitor.isUnderLoad(now);
    }

    // ---- Network input -------------------------------------------------------------------------

    /**
     * Takes one datagram received from {@code from} (null if unknown) in {@code datagram}'s remaining
     * bytes. If it carried an IP packet, returns the peer that sent it and leaves the buffer's
     * position and limit around the packet, decrypted in place; the driver writes it to the TUN
     * device after checking the source address against that peer's allowed IPs. Otherwise returns
     * null: a handshake or cookie message was consumed (its answer, if any, is in
     * {@link #pollTransmit()}), a keepalive arrived, or the datagram was dropped and counted in
     * {@link #drops()}. Never throws for any content; the buffer must be writable.
     */
    public WireGuardPeer decapsulate(ByteBuffer datagram, InetSocketAddress from, long now) {
        int position = datagram.position();
        int length = datagram.remaining();
        if (datagram.hasArray()) {
            int packetLength = receive(datagram.array(), datagram.arrayOffset() + position, length, from, now);
            return packetLength <= 0 ? null : deliver(datagram, position + HEADROOM, packetLength);
        }
        if (length > MAX_DATAGRAM_LENGTH) {
            drops.increment(DropReason.INVALID_LENGTH);
            return null;
        }
        datagram.get(position, scratch, 0, length);
        int packetLength = receive(scratch, 0, length, from, now);
        if (packetLength <= 0) {
            return null;
        }
        datagram.put(position + HEADROOM, scratch, HEADROOM, packetLength);
        return deliver(datagram, position + HEADROOM, packetLength);
    }

    private WireGuardPeer deliver(ByteBuffer datagram, int packetStart, int packetLength) {
        datagram.position(packetStart);
        datagram.limit(packetStart + packetLength);
        return lastSender;
    }

    /** Returns the length of an IP packet left at offset + 16, or 0 when there is none. */
    private int receive(byte[] array, int offset, int length, InetSocketAddress from, long now) {
        int type = Messages.classify(array, offset, length);
        switch (type) {
            case Messages.TYPE_TRANSPORT -> {
                return receiveTransport(array, offset, length, from, now);
            }
            case Messages.TYPE_INITIATION, Messages.TYPE_RESPONSE -> {
                receiveHandshake(type, Arrays.copyOfRange(array, offset, offset + length), from, now);
                return 0;
            }
            case Messages.TYPE_COOKIE_REPLY -> {
                receiveCookieReply(Arrays.copyOfRange(array, offset, offset + length), now);
                return 0;
            }
            default -> {
                drops.increment(Messages.isKnownType(array, offset, length)
                        ? DropReason.INVALID_LENGTH : DropReason.UNKNOWN_MESSAGE_TYPE);
                return 0;
            }
        }
    }

    private int receiveTransport(byte[] array, int offset, int length, InetSocketAddress from, long now) {
        Indexed target = indices.get(Messages.getInt(array, offset + Messages.TRANSPORT_RECEIVER));
        if (!(target instanceof Keypair keypair)) {
            drops.increment(DropReason.UNKNOWN_RECEIVER_INDEX);
            return 0;
        }
        WireGuardPeer peer = keypair.peer();
        int packetLength = peer.receiveTransport(keypair, array, offset, length, from, now);
        if (packetLength <= 0) {
            return 0;
        }
        lastSender = peer;
        return packetLength;
    }

    private void receiveHandshake(int type, byte[] message, InetSocketAddress from, long now) {
        if (!cookieChecker.isMac1Valid(message, message.length)) {
            drops.increment(DropReason.INVALID_MAC1);
            return;
        }
        if (loadMonitor.recordHandshake(now) && !admitUnderLoad(message, from, now)) {
            return;
        }
        if (type == Messages.TYPE_INITIATION) {
            switch (Noise.consumeInitiation(identity, message, peers::get, now)) {
                case Noise.InitiationResult.Accepted(WireGuardPeer peer) ->
                        peer.initiationReceived(from, message.length, now);
                case Noise.InitiationResult.Refused(DropReason reason) -> drops.increment(reason);
            }
            return;
        }
        Indexed target = indices.get(Messages.getInt(message, Messages.RESPONSE_RECEIVER));
        if (target == null) {
            drops.increment(DropReason.UNKNOWN_RECEIVER_INDEX);
            return;
        }
        if (!(target instanceof Handshake handshake) || handshake.state != Handshake.State.INITIATION_CREATED) {
            drops.increment(DropReason.UNEXPECTED_RESPONSE);
            return;
        }
        if (!Noise.consumeResponse(identity, handshake, message)) {
            drops.increment(DropReason.HANDSHAKE_DECRYPTION_FAILED);
            return;
        }
        handshake.peer().responseReceived(from, message.length, now);
    }

    /**
     * Under load a handshake message must carry a cookie for its source address (else it gets a
     * cookie reply), and each address is rate limited. Without a source address no cookie can be
     * bound to it, so the message is refused.
     */
    private boolean admitUnderLoad(byte[] message, InetSocketAddress from, long now) {
        if (from == null || from.getAddress() == null) {
            drops.increment(DropReason.COOKIE_REQUIRED);
            return false;
        }
        if (!cookieChecker.isMac2Valid(message, message.length, from, now)) {
            transmit(from, cookieChecker.createReply(message, message.length, from, now, random));
            drops.increment(DropReason.COOKIE_REQUIRED);
            return false;
        }
        if (!rateLimiterSweepScheduled) {
            rateLimiterSweepScheduled = true;
            nextRateLimiterSweep = now + SourceRateLimiter.SWEEP_INTERVAL_NANOS;
        }
        if (!rateLimiter.allow(from.getAddress(), now)) {
            drops.increment(DropReason.RATE_LIMITED);
            return false;
        }
        return true;
    }

    private void receiveCookieReply(byte[] reply, long now) {
        Indexed target = indices.get(Messages.getInt(reply, Messages.COOKIE_REPLY_RECEIVER));
        if (target == null) {
            drops.increment(DropReason.UNKNOWN_RECEIVER_INDEX);
            return;
        }
        if (!target.peer().cookieGenerator.consumeReply(reply, now)) {
            drops.increment(DropReason.INVALID_COOKIE_REPLY);
        }
    }

    // ---- TUN input -----------------------------------------------------------------------------

    /**
     * Seals the IP packet in {@code packet}'s remaining bytes for {@code peer}. Returns true when the
     * buffer now holds the datagram (position and limit moved around it) to send to
     * {@link WireGuardPeer#endpoint()}. Returns false when the packet was copied into the peer's
     * queue because no session is ready; a handshake starts and the packet follows it through
     * {@link #pollTransmit()}. The buffer needs {@link #HEADROOM} bytes before its position and
     * {@link #TAILROOM} after its limit.
     */
    public boolean encapsulate(WireGuardPeer peer, ByteBuffer packet, long now) {
        int position = packet.position();
        int length = packet.remaining();
        if (position < HEADROOM || packet.capacity() - packet.limit() < TAILROOM) {
            throw new IllegalArgumentException("an IP packet to encapsulate needs " + HEADROOM
                    + " bytes before it and " + TAILROOM + " after it in its buffer");
        }
        if (length > MAX_DATAGRAM_LENGTH - HEADROOM - TAILROOM) {
            throw new IllegalArgumentException("an IP packet cannot be longer than "
                    + (MAX_DATAGRAM_LENGTH - HEADROOM - TAILROOM) + " bytes, got " + length);
        }
        boolean direct = !packet.hasArray();
        int sealedLength;
        if (direct) {
            packet.get(position, scratch, HEADROOM, length);
            sealedLength = peer.encapsulate(scratch, HEADROOM, length, now);
        } else {
            sealedLength = peer.encapsulate(packet.array(), packet.arrayOffset() + position, length, now);
        }
        if (sealedLength < 0) {
            return false;
        }
        packet.limit(position - HEADROOM + sealedLength);
        packet.position(position - HEADROOM);
        if (direct) {
            packet.put(position - HEADROOM, scratch, 0, sealedLength);
        }
        return true;
    }

    // ---- Time and output -----------------------------------------------------------------------

    /** Fires the timers that are due: retransmissions, keepalives, rekeys, key erasure. */
    public void handleTimeout(long now) {
        for (WireGuardPeer peer : peers.values()) {
            peer.handleTimeout(now);
        }
        if (rateLimiterSweepScheduled && now - nextRateLimiterSweep >= 0) {
            rateLimiter.sweep(now);
            rateLimiterSweepScheduled = !rateLimiter.isEmpty();
            nextRateLimiterSweep = now + SourceRateLimiter.SWEEP_INTERVAL_NANOS;
        }
    }

    /** The next instant {@link #handleTimeout} must be called at, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        long earliest = Long.MAX_VALUE;
        for (WireGuardPeer peer : peers.values()) {
            earliest = Math.min(earliest, peer.nextDeadline());
        }
        if (rateLimiterSweepScheduled) {
            earliest = Math.min(earliest, nextRateLimiterSweep);
        }
        return earliest;
    }

    /** The next datagram to send, or null. */
    public Transmit pollTransmit() {
        return transmits.poll();
    }

    /** The next event, or null. */
    public WireGuardEvent pollEvent() {
        return events.poll();
    }

    // ---- For the peers -------------------------------------------------------------------------

    TunnelSettings settings() {
        return settings;
    }

    RandomGenerator random() {
        return random;
    }

    LocalIdentity identity() {
        return identity;
    }

    IndexTable indices() {
        return indices;
    }

    Instant wallTime(long monotonic) {
        return wallClockAtStart.plusNanos(monotonic - monotonicAtStart);
    }

    /** A random extra delay of up to 333 ms for REKEY_TIMEOUT, so that peers do not retry in lockstep. */
    long jitter() {
        return random.nextLong(Protocol.REKEY_TIMEOUT_JITTER_BOUND_NANOS);
    }

    void transmit(InetSocketAddress destination, byte[] datagram) {
        if (transmits.size() >= settings.outputQueueLimit()) {
            drops.increment(DropReason.OUTPUT_QUEUE_FULL);
            return;
        }
        transmits.add(new Transmit(destination, datagram));
    }

    void emit(WireGuardEvent event) {
        if (events.size() >= settings.outputQueueLimit()) {
            drops.increment(DropReason.OUTPUT_QUEUE_FULL);
            return;
        }
        log.debug("{}", event);
        events.add(event);
    }

    void drop(DropReason reason) {
        drops.increment(reason);
    }
}

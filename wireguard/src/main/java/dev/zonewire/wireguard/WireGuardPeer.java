package dev.zonewire.wireguard;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;

/**
 * One remote peer of a {@link WireGuardTunnel}: its handshake, its sessions (previous, current and
 * next keypair), its timers and the counters {@code wg show} prints. Created by
 * {@link WireGuardTunnel#addPeer}; like the tunnel, it is used from one thread.
 *
 * <p>The timers follow the whitepaper (section 6) as wireguard-go implements them: every timer is a
 * deadline in monotonic nanoseconds that {@link WireGuardTunnel#handleTimeout} fires.
 */
public final class WireGuardPeer {
    private final WireGuardTunnel tunnel;
    private final PublicKey publicKey;
    private PresharedKey presharedKey;
    private InetSocketAddress endpoint;
    private long persistentKeepaliveNanos;

    final Handshake handshake = new Handshake(this);
    final CookieGenerator cookieGenerator;
    /** DH(our static key, the peer's static key), computed once; null if the peer's key has small order. */
    byte[] staticStatic;

    private Keypair previous;
    private Keypair current;
    private Keypair next;
    private final ArrayDeque<byte[]> staged = new ArrayDeque<>();

    private long rxBytes;
    private long txBytes;
    private boolean handshakeCompletedOnce;
    private long lastHandshakeCompletedAt;

    private final Deadline retransmitHandshake = new Deadline();
    private final Deadline sendKeepalive = new Deadline();
    private final Deadline newHandshake = new Deadline();
    private final Deadline zeroKeyMaterial = new Deadline();
    private final Deadline persistentKeepalive = new Deadline();
    private boolean needAnotherKeepalive;
    private boolean sentLastMinuteHandshake;
    private long handshakeAttemptsStartedAt;
    private boolean handshakeSentBefore;
    private long lastHandshakeSentAt;

    WireGuardPeer(WireGuardTunnel tunnel, PeerConfig config) {
        this.tunnel = tunnel;
        this.publicKey = config.publicKey();
        this.presharedKey = config.presharedKey();
        this.endpoint = config.endpoint();
        this.persistentKeepaliveNanos = config.persistentKeepalive().toNanos();
        this.cookieGenerator = new CookieGenerator(publicKey);
        computeStaticStatic(tunnel.identity());
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public PresharedKey presharedKey() {
        return presharedKey;
    }

    /** Where we send to: configured, or the source of the last authenticated message; null if unknown. */
    public InetSocketAddress endpoint() {
        return endpoint;
    }

    public Duration persistentKeepalive() {
        return Duration.ofNanos(persistentKeepaliveNanos);
    }

    /** Wall-clock time of the last completed handshake, as {@code wg show} prints it. */
    public Optional<Instant> lastHandshake() {
        return handshakeCompletedOnce ? Optional.of(tunnel.wallTime(lastHandshakeCompletedAt)) : Optional.empty();
    }

    /** Bytes of authenticated WireGuard messages received from the peer (whole datagrams). */
    public long rxBytes() {
        return rxBytes;
    }

    /** Bytes of WireGuard messages produced for the peer (whole datagrams). */
    public long txBytes() {
        return txBytes;
    }

    /** Whether a session can carry data to the peer right now. */
    public boolean hasSession(long now) {
        return current != null && current.canSend(now);
    }

    public void setEndpoint(InetSocketAddress newEndpoint) {
        this.endpoint = newEndpoint;
    }

    /** Takes effect with the next handshake. */
    public void setPresharedKey(PresharedKey key) {
        this.presharedKey = key == null ? PresharedKey.NONE : key;
    }

    /** Zero turns it off; turning it on sends a keepalive at once, as wireguard-go does. */
    public void setPersistentKeepalive(Duration interval, long now) {
        boolean wasOff = persistentKeepaliveNanos == 0;
        persistentKeepaliveNanos = PeerConfig.checkPersistentKeepalive(interval).toNanos();
        if (persistentKeepaliveNanos == 0) {
            persistentKeepalive.disarm();
        } else if (wasOff) {
            sendKeepalive(now);
        }
    }

    @Override
    public String toString() {
        return "WireGuardPeer[" + publicKey + "]";
    }

    /** A new peer with a persistent keepalive says hello at once, so that it is reachable behind NAT. */
    void start(long now) {
        if (persistentKeepaliveNanos > 0) {
            sendKeepalive(now);
        }
    }

    // ---- Outgoing data -------------------------------------------------------------------------

    /**
     * Seals the IP packet at {@code array[offset, offset+length)} in place for the current session,
     * with the header written into the 16 bytes before it. Returns the datagram length (it starts at
     * {@code offset - 16}), or -1 when the packet was queued for a handshake instead.
     */
    int encapsulate(byte[] array, int offset, int length, long now) {
        Keypair keypair = current;
        if (!staged.isEmpty() || keypair == null || !keypair.canSend(now) || endpoint == null) {
            stage(Arrays.copyOfRange(array, offset, offset + length));
            sendStagedPackets(now);
            return -1;
        }
        int sealedLength = seal(keypair, array, offset, length);
        afterDataSent(length > 0, sealedLength, now);
        keepKeyFreshSending(now);
        return sealedLength;
    }

    private int seal(Keypair keypair, byte[] array, int offset, int length) {
        int padded = paddedLength(length, tunnel.settings().mtu());
        Arrays.fill(array, offset + length, offset + padded, (byte) 0);
        long counter = keypair.sendCounter++;
        int header = offset - Messages.TRANSPORT_HEADER_LENGTH;
        Messages.putInt(array, header, Messages.TYPE_TRANSPORT);
        Messages.putInt(array, header + Messages.TRANSPORT_RECEIVER, keypair.remoteIndex);
        Messages.putLong(array, header + Messages.TRANSPORT_COUNTER, counter);
        return Messages.TRANSPORT_HEADER_LENGTH + keypair.sending.seal(counter, null, array, offset, padded, array, offset);
    }

    /** Padding to 16 bytes hides the exact length, but a packet that fits the MTU must still fit after. */
    static int paddedLength(int length, int mtu) {
        int padded = (length + Protocol.PADDING_MULTIPLE - 1) & -Protocol.PADDING_MULTIPLE;
        return length <= mtu && padded > mtu ? mtu : padded;
    }

    private void afterDataSent(boolean carriedData, int datagramLength, long now) {
        txBytes += datagramLength;
        anyAuthenticatedPacketTraversal(now);
        sendKeepalive.disarm();
        if (carriedData && !newHandshake.isArmed()) {
            newHandshake.arm(now + Protocol.KEEPALIVE_TIMEOUT_NANOS + Protocol.REKEY_TIMEOUT_NANOS + tunnel.jitter());
        }
    }

    private void stage(byte[] packet) {
        if (staged.size() >= tunnel.settings().stagedPacketsPerPeer()) {
            staged.poll();
            tunnel.drop(DropReason.STAGED_QUEUE_FULL);
        }
        staged.add(packet);
    }

    /** Sends what waited for a session, or starts a handshake when there is no usable one. */
    private void sendStagedPackets(long now) {
        while (!staged.isEmpty()) {
            Keypair keypair = current;
            if (keypair == null || !keypair.canSend(now) || endpoint == null) {
                sendHandshakeInitiation(false, now);
                return;
            }
            byte[] packet = staged.poll();
            int padded = paddedLength(packet.length, tunnel.settings().mtu());
            byte[] datagram = new byte[Messages.TRANSPORT_HEADER_LENGTH + padded + ChaCha20Poly1305.TAG_LENGTH];
            System.arraycopy(packet, 0, datagram, Messages.TRANSPORT_HEADER_LENGTH, packet.length);
            seal(keypair, datagram, Messages.TRANSPORT_HEADER_LENGTH, packet.length);
            tunnel.transmit(endpoint, datagram);
            afterDataSent(packet.length > 0, datagram.length, now);
        }
        keepKeyFreshSending(now);
    }

    private void sendKeepalive(long now) {
        if (staged.isEmpty()) {
            stage(new byte[0]);
        }
        sendStagedPackets(now);
    }

    /** The initiator rekeys after REKEY_AFTER_TIME or REKEY_AFTER_MESSAGES, triggered by sending. */
    private void keepKeyFreshSending(long now) {
        Keypair keypair = current;
        if (keypair == null) {
            return;
        }
        if (Long.compareUnsigned(keypair.sendCounter, Protocol.REKEY_AFTER_MESSAGES) > 0
                || (keypair.weInitiated && now - keypair.createdAt > Protocol.REKEY_AFTER_TIME_NANOS)) {
            sendHandshakeInitiation(false, now);
        }
    }

    // ---- Incoming data -------------------------------------------------------------------------

    /**
     * Opens a transport message for {@code keypair} in place. Returns the length of the IP packet now
     * at {@code offset + 16}, 0 for a keepalive, or -1 when it was dropped (and counted).
     */
    int receiveTransport(Keypair keypair, byte[] array, int offset, int length, InetSocketAddress from, long now) {
        if (keypair.isExpired(now)) {
            tunnel.drop(DropReason.EXPIRED_SESSION);
            return -1;
        }
        long counter = Messages.getLong(array, offset + Messages.TRANSPORT_COUNTER);
        if (!keypair.replayWindow.mayAccept(counter)) {
            tunnel.drop(DropReason.REPLAYED_COUNTER);
            return -1;
        }
        int content = offset + Messages.TRANSPORT_HEADER_LENGTH;
        int plaintextLength = keypair.receiving.open(counter, null, array, content,
                length - Messages.TRANSPORT_HEADER_LENGTH, array, content);
        if (plaintextLength < 0) {
            tunnel.drop(DropReason.DECRYPTION_FAILED);
            return -1;
        }
        keypair.replayWindow.accept(counter);

        if (from != null) {
            endpoint = from;
        }
        if (keypair == next) {
            promoteNext(now);
        }
        rxBytes += length;
        keepKeyFreshReceiving(now);
        anyAuthenticatedPacketTraversal(now);
        newHandshake.disarm();
        if (plaintextLength == 0) {
            return 0;
        }
        dataReceived(now);
        int packetLength = InnerPacket.length(array, content, plaintextLength);
        if (packetLength < 0) {
            tunnel.drop(DropReason.INVALID_INNER_PACKET);
            return -1;
        }
        return packetLength;
    }

    /** The first data on the responder's new session confirms the handshake: it becomes current. */
    private void promoteNext(long now) {
        retire(previous);
        previous = current;
        current = next;
        next = null;
        handshakeComplete(now);
        sendStagedPackets(now);
    }

    private void dataReceived(long now) {
        if (!sendKeepalive.isArmed()) {
            sendKeepalive.arm(now + Protocol.KEEPALIVE_TIMEOUT_NANOS);
        } else {
            needAnotherKeepalive = true;
        }
    }

    /** An initiator whose session nears REJECT_AFTER_TIME rekeys once on receiving, in case it sends nothing. */
    private void keepKeyFreshReceiving(long now) {
        if (sentLastMinuteHandshake) {
            return;
        }
        Keypair keypair = current;
        long lastMinute = Protocol.REJECT_AFTER_TIME_NANOS - Protocol.KEEPALIVE_TIMEOUT_NANOS - Protocol.REKEY_TIMEOUT_NANOS;
        if (keypair != null && keypair.weInitiated && now - keypair.createdAt > lastMinute) {
            sentLastMinuteHandshake = true;
            sendHandshakeInitiation(false, now);
        }
    }

    // ---- Handshake -----------------------------------------------------------------------------

    /**
     * Sends an initiation unless one went out less than REKEY_TIMEOUT ago. A retry keeps counting
     * towards REKEY_ATTEMPT_TIME; any other call starts the attempt afresh.
     */
    void sendHandshakeInitiation(boolean isRetry, long now) {
        if (!isRetry) {
            handshakeAttemptsStartedAt = now;
        }
        if (handshakeSentBefore && now - lastHandshakeSentAt < Protocol.REKEY_TIMEOUT_NANOS) {
            return;
        }
        handshakeSentBefore = true;
        lastHandshakeSentAt = now;

        IndexTable indices = tunnel.indices();
        indices.remove(handshake.localIndex);
        int index = indices.allocate(handshake, tunnel.random());
        byte[] message = Noise.createInitiation(tunnel.identity(), this, index,
                Tai64n.encode(tunnel.wallTime(now)), tunnel.random());
        if (message == null) {
            indices.remove(index);
            handshake.clear();
            return;
        }
        cookieGenerator.addMacs(message, now);
        anyAuthenticatedPacketTraversal(now);
        sendKeepalive.disarm();
        sendHandshakeMessage(message);
        retransmitHandshake.arm(now + Protocol.REKEY_TIMEOUT_NANOS + tunnel.jitter());
    }

    /** An authenticated initiation from this peer is in our handshake state: answer it. */
    void initiationReceived(InetSocketAddress from, int length, long now) {
        anyAuthenticatedPacketTraversal(now);
        newHandshake.disarm();
        if (from != null) {
            endpoint = from;
        }
        rxBytes += length;

        handshakeSentBefore = true;
        lastHandshakeSentAt = now;
        IndexTable indices = tunnel.indices();
        indices.remove(handshake.localIndex);
        int index = indices.allocate(handshake, tunnel.random());
        byte[] response = Noise.createResponse(this, index, tunnel.random());
        if (response == null) {
            indices.remove(index);
            handshake.clear();
            return;
        }
        cookieGenerator.addMacs(response, now);
        beginSession(false, now);
        zeroKeyMaterial.arm(now + 3 * Protocol.REJECT_AFTER_TIME_NANOS);
        anyAuthenticatedPacketTraversal(now);
        sendKeepalive.disarm();
        sendHandshakeMessage(response);
    }

    /** Our initiation was answered: the new session is current at once, confirmed by a keepalive. */
    void responseReceived(InetSocketAddress from, int length, long now) {
        if (from != null) {
            endpoint = from;
        }
        rxBytes += length;
        anyAuthenticatedPacketTraversal(now);
        newHandshake.disarm();
        beginSession(true, now);
        zeroKeyMaterial.arm(now + 3 * Protocol.REJECT_AFTER_TIME_NANOS);
        handshakeComplete(now);
        sendKeepalive(now);
    }

    private void sendHandshakeMessage(byte[] message) {
        if (endpoint == null) {
            tunnel.drop(DropReason.NO_ENDPOINT);
            return;
        }
        txBytes += message.length;
        tunnel.transmit(endpoint, message);
    }

    /**
     * Turns the finished handshake into a keypair. The initiator uses it at once; the responder
     * keeps it as "next" until the initiator's first data proves the initiator has it too.
     */
    private void beginSession(boolean weInitiated, long now) {
        byte[][] keys = Noise.transportKeys(handshake, weInitiated);
        Keypair keypair = new Keypair(this, keys[0], keys[1], weInitiated, now,
                handshake.localIndex, handshake.remoteIndex);
        Arrays.fill(keys[0], (byte) 0);
        Arrays.fill(keys[1], (byte) 0);
        tunnel.indices().replace(handshake.localIndex, keypair);
        handshake.clear();

        if (weInitiated) {
            if (next != null) {
                retire(current);
                retire(previous);
                previous = next;
                next = null;
            } else {
                retire(previous);
                previous = current;
            }
            current = keypair;
        } else {
            retire(next);
            retire(previous);
            previous = null;
            next = keypair;
        }
    }

    private void handshakeComplete(long now) {
        retransmitHandshake.disarm();
        sentLastMinuteHandshake = false;
        handshakeCompletedOnce = true;
        lastHandshakeCompletedAt = now;
        tunnel.emit(new WireGuardEvent.HandshakeCompleted(publicKey));
    }

    private void retire(Keypair keypair) {
        if (keypair != null) {
            tunnel.indices().remove(keypair.localIndex);
        }
    }

    // ---- Timers --------------------------------------------------------------------------------

    void handleTimeout(long now) {
        if (retransmitHandshake.fire(now)) {
            retransmitHandshakeExpired(now);
        }
        if (sendKeepalive.fire(now)) {
            sendKeepalive(now);
            if (needAnotherKeepalive) {
                needAnotherKeepalive = false;
                sendKeepalive.arm(now + Protocol.KEEPALIVE_TIMEOUT_NANOS);
            }
        }
        if (newHandshake.fire(now)) {
            sendHandshakeInitiation(false, now);
        }
        if (zeroKeyMaterial.fire(now)) {
            clearSessions();
            tunnel.emit(new WireGuardEvent.SessionsCleared(publicKey));
        }
        if (persistentKeepalive.fire(now) && persistentKeepaliveNanos > 0) {
            sendKeepalive(now);
        }
    }

    long nextDeadline() {
        long earliest = Long.MAX_VALUE;
        earliest = retransmitHandshake.earliest(earliest);
        earliest = sendKeepalive.earliest(earliest);
        earliest = newHandshake.earliest(earliest);
        earliest = zeroKeyMaterial.earliest(earliest);
        return persistentKeepalive.earliest(earliest);
    }

    private void retransmitHandshakeExpired(long now) {
        if (now - handshakeAttemptsStartedAt < Protocol.REKEY_ATTEMPT_TIME_NANOS) {
            sendHandshakeInitiation(true, now);
            return;
        }
        sendKeepalive.disarm();
        while (staged.poll() != null) {
            tunnel.drop(DropReason.HANDSHAKE_TIMED_OUT);
        }
        if (!zeroKeyMaterial.isArmed()) {
            zeroKeyMaterial.arm(now + 3 * Protocol.REJECT_AFTER_TIME_NANOS);
        }
        tunnel.emit(new WireGuardEvent.HandshakeAbandoned(publicKey));
    }

    private void anyAuthenticatedPacketTraversal(long now) {
        if (persistentKeepaliveNanos > 0) {
            persistentKeepalive.arm(now + persistentKeepaliveNanos);
        }
    }

    /** Forgets every key and queued packet, as after 3 × REJECT_AFTER_TIME or when the peer is removed. */
    void clearSessions() {
        retire(previous);
        retire(current);
        retire(next);
        previous = null;
        current = null;
        next = null;
        tunnel.indices().remove(handshake.localIndex);
        handshake.clear();
        staged.clear();
    }

    void computeStaticStatic(LocalIdentity identity) {
        staticStatic = X25519.sharedSecret(identity.scalar, publicKey.unsafeBytes());
    }

    /** After our static key changed: no session made with the old key may send again. */
    void expireSessionsForNewIdentity(LocalIdentity identity) {
        computeStaticStatic(identity);
        tunnel.indices().remove(handshake.localIndex);
        handshake.clear();
        handshakeSentBefore = false;
        for (Keypair keypair : new Keypair[] {current, next}) {
            if (keypair != null) {
                keypair.sendCounter = Protocol.REJECT_AFTER_MESSAGES;
            }
        }
    }

    Keypair currentKeypair() {
        return current;
    }

    Keypair previousKeypair() {
        return previous;
    }
}

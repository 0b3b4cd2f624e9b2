package dev.zonewire.snownet.turn;

import dev.zonewire.snownet.ice.Candidate;
import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunDecodeResult;
import dev.zonewire.stun.StunDecoder;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunErrorCode;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMessageClass;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sans-IO TURN client (RFC 8656) for one relay: the snownet side of a Firezone relay. It
 * learns our server-reflexive addresses with BINDING, allocates relayed addresses of both
 * families with one ALLOCATE, keeps the allocation alive with REFRESH at half its lifetime, binds
 * channels to peers and keeps the used ones bound, and frames ChannelData both ways.
 *
 * <p>Requests are retransmitted after 1 s, then 1.5 times longer each time, for at most 10 s;
 * an authenticated request that gets no answer means the relay is unreachable and the allocation
 * is given up ({@link #freeReason()}). A 401 without a nonce and a 438 are answered by signing
 * again with the new nonce; a signed 401 to a request that had a nonce means our credentials
 * are refused. Unlike the reference, a 401/438 we cannot verify is honoured too, so that standard
 * TURN servers such as coturn work and a wrong password is noticed at once rather than after the
 * retransmissions run out.
 *
 * <p>Feed it the relay's datagrams with {@link #handleStun} and {@link #receiveChannelData}, the
 * time with {@link #handleTimeout}, and drain {@link #pollTransmit()} and {@link #pollEvent()}.
 * Not thread-safe.
 */
public final class TurnAllocation {
    static final long INITIAL_RETRANSMIT_NANOS = Duration.ofSeconds(1).toNanos();
    static final double RETRANSMIT_MULTIPLIER = 1.5;
    static final long MAX_RETRANSMIT_ELAPSED_NANOS = Duration.ofSeconds(10).toNanos();
    static final int MAX_BUFFERED_BINDS = 100;
    /** How often in a row one request may be re-signed for a new nonce before we stop. */
    static final int MAX_NONCE_RETRIES = 3;
    static final int MAX_QUEUED = 256;
    static final long PROBE_RETRANSMIT_NANOS = Duration.ofMillis(500).toNanos();
    static final long PROBE_TIMEOUT_NANOS = Duration.ofMillis(1500).toNanos();

    private static final Logger log = LoggerFactory.getLogger(TurnAllocation.class);

    private final RelayAddresses servers;
    private final TurnCredentials credentials;
    private final IntegrityKey key;
    private final StunAttribute.Software software;
    private final RandomGenerator random;

    private InetSocketAddress activeServer;
    private Candidate serverReflexive4;
    private Candidate serverReflexive6;
    private Candidate relayed4;
    private Candidate relayed6;
    private long lifetimeStartedAt;
    private long lifetimeNanos;
    private String nonce;
    private boolean askForIpv6 = true;

    private final Map<TransactionId, Request> inFlight = new LinkedHashMap<>();
    private final ChannelBindings channels = new ChannelBindings();
    private final ArrayDeque<InetSocketAddress> bufferedBinds = new ArrayDeque<>();

    private FreeReason failure;
    private boolean releasing;
    private boolean unresponsive;

    private final ArrayDeque<TurnTransmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<TurnEvent> events = new ArrayDeque<>();

    /**
     * Starts by sending BINDING to every address of the relay.
     *
     * @param software the SOFTWARE attribute on every request, e.g. {@code snownet; session=<hex>}
     */
    public TurnAllocation(RelayAddresses servers, TurnCredentials credentials, String software, RandomGenerator random,
                          long now) {
        this.servers = Objects.requireNonNull(servers, "servers");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.key = IntegrityKey.longTerm(credentials.username(), credentials.realm(), credentials.password());
        this.software = new StunAttribute.Software(software);
        this.random = Objects.requireNonNull(random, "random");
        sendBindings(now);
    }

    public TurnCredentials credentials() {
        return credentials;
    }

    /** Whether {@code address} is one of the relay's: only then may a datagram from it be TURN. */
    public boolean isServer(InetSocketAddress address) {
        return servers.contains(address);
    }

    /** The relay address that answered first; all further requests and ChannelData go there. */
    public Optional<InetSocketAddress> activeServer() {
        return Optional.ofNullable(activeServer);
    }

    /** {@link #activeServer()} without the Optional, for the packet path; null when there is none. */
    public InetSocketAddress activeServerAddress() {
        return activeServer;
    }

    public Optional<Candidate> serverReflexive(boolean ipv4) {
        return Optional.ofNullable(ipv4 ? serverReflexive4 : serverReflexive6);
    }

    public Optional<Candidate> relayed(boolean ipv4) {
        return Optional.ofNullable(ipv4 ? relayed4 : relayed6);
    }

    /** Our relayed candidates on this relay, IPv4 first: none, one or two. */
    public List<Candidate> relayedCandidates() {
        return Stream.of(relayed4, relayed6).filter(Objects::nonNull).toList();
    }

    public boolean hasAllocation() {
        return relayed4 != null || relayed6 != null;
    }

    /** Our relayed address of the peer's family, through which its data reaches us. */
    public InetSocketAddress relayedAddressFor(InetSocketAddress peer) {
        Candidate relayed = peer.getAddress() instanceof Inet4Address ? relayed4 : relayed6;
        return relayed == null ? null : relayed.address();
    }

    /** Whether {@code address} is one of our relayed addresses on this relay. */
    public boolean isRelayedAddress(InetSocketAddress address) {
        return (relayed4 != null && relayed4.address().equals(address))
                || (relayed6 != null && relayed6.address().equals(address));
    }

    /**
     * Why the allocation is finished, once it is: the owner then drops it. Empty while it works or
     * may still work.
     */
    public Optional<FreeReason> freeReason() {
        if (failure != null) {
            return Optional.of(failure);
        }
        if (releasing && inFlight.isEmpty()) {
            return Optional.of(FreeReason.RELEASED);
        }
        if (activeServer == null && inFlight.isEmpty()) {
            return Optional.of(FreeReason.NO_RESPONSE);
        }
        return Optional.empty();
    }

    public int channelCount() {
        return channels.size();
    }

    // ---- Channels ------------------------------------------------------------------------------

    /**
     * Binds a channel to {@code peer} so that its data can flow through the relay both ways. Until
     * the allocation exists the request is kept (up to 100 peers). Does nothing if a channel to
     * the peer works or is being bound, or we have no relayed address of the peer's family.
     */
    public void bindChannel(InetSocketAddress peer, long now) {
        if (failure != null || releasing) {
            return;
        }
        ChannelBindings.Channel existing = channels.forPeer(peer);
        if (existing != null && (existing.bindInFlight || existing.isUsable(now)) || bufferedBinds.contains(peer)) {
            return;
        }
        if (!hasAllocation()) {
            if (bufferedBinds.size() >= MAX_BUFFERED_BINDS) {
                bufferedBinds.poll();
            }
            bufferedBinds.add(peer);
            return;
        }
        if (relayedAddressFor(peer) == null) {
            log.debug("no relayed address of the family of {}, no channel", peer);
            return;
        }
        ChannelBindings.Channel channel = channels.reserve(peer, now);
        if (channel == null) {
            log.warn("all channel numbers of relay {} are in use", activeServer);
            return;
        }
        sendChannelBind(channel, now);
    }

    /** Whether data for {@code peer} can go through the relay now. */
    public boolean canSendTo(InetSocketAddress peer, long now) {
        return usableChannel(peer, now) != null;
    }

    /**
     * Frames the payload between the buffer's position and limit as ChannelData to {@code peer},
     * writing the 4-byte header just before the position (which must leave room for it); on success
     * the buffer's position moves back over the header. Returns false when no usable channel to the
     * peer exists.
     */
    public boolean wrapChannelData(InetSocketAddress peer, ByteBuffer buffer, long now) {
        ChannelBindings.Channel channel = usableChannel(peer, now);
        if (channel == null) {
            return false;
        }
        int start = buffer.position() - ChannelData.HEADER_LENGTH;
        ChannelData.writeHeader(buffer, start, channel.number, buffer.remaining());
        buffer.position(start);
        return true;
    }

    /** {@link #wrapChannelData} into a new array, for control traffic. Null without a usable channel. */
    public byte[] encodeChannelData(InetSocketAddress peer, byte[] payload, long now) {
        ChannelBindings.Channel channel = usableChannel(peer, now);
        return channel == null ? null : ChannelData.encode(channel.number, payload, false);
    }

    private ChannelBindings.Channel usableChannel(InetSocketAddress peer, long now) {
        ChannelBindings.Channel channel = channels.forPeer(peer);
        return channel != null && channel.isUsable(now) && activeServer != null ? channel : null;
    }

    /**
     * Unwraps ChannelData the relay sent: on success the buffer's position and limit frame the
     * payload and the peer it came from is returned. Null (and the buffer untouched) for a malformed
     * message or a channel that is not bound.
     */
    public InetSocketAddress receiveChannelData(ByteBuffer datagram, long now) {
        int length = ChannelData.payloadLength(datagram);
        if (length < 0) {
            return null;
        }
        ChannelBindings.Channel channel = channels.forNumber(ChannelData.channel(datagram));
        if (channel == null || !channel.bound) {
            return null;
        }
        channel.receivedSinceBind = true;
        int start = datagram.position() + ChannelData.HEADER_LENGTH;
        datagram.limit(start + length);
        datagram.position(start);
        return channel.peer;
    }

    // ---- STUN from the relay -------------------------------------------------------------------

    /**
     * Takes a STUN message from {@code from}, which arrived on our {@code local} address. Returns
     * false if {@code from} is not this relay; anything from the relay counts as handled, whether
     * or not it was an answer we were waiting for.
     */
    public boolean handleStun(ByteBuffer datagram, InetSocketAddress from, InetSocketAddress local, long now) {
        if (!isServer(from)) {
            return false;
        }
        if (!(StunDecoder.decode(datagram) instanceof StunDecodeResult.Decoded decoded)) {
            return true;
        }
        StunMessage message = decoded.message();
        Request request = inFlight.get(message.transactionId());
        if (request == null || !message.messageClass().isResponse() || message.method() != request.method()) {
            return true;
        }
        boolean authentic = request.method() == StunMethod.BINDING || decoded.received().verifyMessageIntegrity(key);
        if (message.messageClass() == StunMessageClass.SUCCESS_RESPONSE) {
            if (!authentic) {
                return true;
            }
            inFlight.remove(message.transactionId());
            unresponsive = false;
            onSuccess(request, message, from, local, now);
        } else {
            handleError(request, decoded.received(), authentic, now);
        }
        return true;
    }

    private void onSuccess(Request request, StunMessage response, InetSocketAddress from, InetSocketAddress local,
                           long now) {
        switch (request.method()) {
            case StunMethod.BINDING -> onBindingSuccess(response, from, local, now);
            case StunMethod.ALLOCATE -> onAllocateSuccess(response, now);
            case StunMethod.REFRESH -> onRefreshSuccess(request, response, now);
            case StunMethod.CHANNEL_BIND -> onChannelBound(request, now);
            default -> { }
        }
    }

    private void onBindingSuccess(StunMessage response, InetSocketAddress from, InetSocketAddress local, long now) {
        Optional<StunAttribute.XorMappedAddress> mapped = response.first(StunAttribute.XorMappedAddress.class);
        if (mapped.isPresent() && Candidate.isUsableAddress(mapped.get().address()) && local != null) {
            setServerReflexive(Candidate.serverReflexive(mapped.get().address(), local));
        }
        if (activeServer != null || releasing) {
            return;
        }
        activeServer = from;
        log.debug("relay {} answered first; allocating there", from);
        if (hasAllocation()) {
            sendRefresh(now, false);
        } else {
            sendAllocate(now);
        }
    }

    private void onAllocateSuccess(StunMessage response, long now) {
        Optional<StunAttribute.Lifetime> lifetime = response.first(StunAttribute.Lifetime.class);
        List<StunAttribute.XorRelayedAddress> relayed = response.all(StunAttribute.XorRelayedAddress.class);
        if (lifetime.isEmpty() || relayed.isEmpty()) {
            log.warn("relay {} sent an ALLOCATE success without LIFETIME or XOR-RELAYED-ADDRESS", activeServer);
            fail(FreeReason.PROTOCOL_FAILURE);
            return;
        }
        Candidate v4 = null;
        Candidate v6 = null;
        for (StunAttribute.XorRelayedAddress address : relayed) {
            if (!Candidate.isUsableAddress(address.address())) {
                continue;
            }
            boolean ipv4 = address.address().getAddress() instanceof Inet4Address;
            if (ipv4 && v4 == null) {
                v4 = Candidate.relayed(address.address());
            } else if (!ipv4 && v6 == null) {
                v6 = Candidate.relayed(address.address());
            }
        }
        if (v4 == null && v6 == null) {
            log.warn("relay {} allocated no address a candidate can have", activeServer);
            fail(FreeReason.PROTOCOL_FAILURE);
            return;
        }
        setRelayed(v4, v6);
        startLifetime(lifetime.get().seconds(), now);
        while (!bufferedBinds.isEmpty()) {
            bindChannel(bufferedBinds.poll(), now);
        }
    }

    private void onRefreshSuccess(Request request, StunMessage response, long now) {
        long seconds = response.first(StunAttribute.Lifetime.class).map(StunAttribute.Lifetime::seconds)
                .orElse(request.deletes() ? 0L : lifetimeNanos / 1_000_000_000L);
        if (seconds > 0) {
            startLifetime(seconds, now);
            return;
        }
        invalidateAllocation();
        if (!releasing) {
            sendAllocate(now);
        }
    }

    private void onChannelBound(Request request, long now) {
        ChannelBindings.Channel channel = channels.forNumber(request.channel());
        if (channel != null && channel.peer.equals(request.peer())) {
            channels.markBound(channel, now);
        }
    }

    private void handleError(Request request, ReceivedStunMessage received, boolean authentic, long now) {
        StunMessage response = received.message();
        int code = response.first(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::code).orElse(0);
        boolean challenge = code == StunErrorCode.UNAUTHORIZED || code == StunErrorCode.STALE_NONCE;
        // A relay signs a challenge with the key of the presented username, so one we cannot verify is
        // still honoured: only someone who saw our random transaction id could forge it.
        if (!authentic && !challenge) {
            return;
        }
        inFlight.remove(response.transactionId());
        unresponsive = false;
        switch (code) {
            case StunErrorCode.UNAUTHORIZED, StunErrorCode.STALE_NONCE -> onChallenge(request, response, code, now);
            case StunErrorCode.ALLOCATION_MISMATCH -> onAllocationMismatch(request, now);
            case StunErrorCode.UNKNOWN_ATTRIBUTE -> {
                log.warn("relay {} does not understand our {} (420)", activeServer, StunMethod.name(request.method()));
                fail(FreeReason.PROTOCOL_FAILURE);
            }
            default -> onOtherError(request, code, now);
        }
    }

    private void onChallenge(Request request, StunMessage response, int code, long now) {
        if (code == StunErrorCode.UNAUTHORIZED && request.hadNonce()) {
            log.warn("relay {} refused our credentials", activeServer);
            fail(FreeReason.AUTHENTICATION_FAILED);
            return;
        }
        Optional<String> newNonce = response.first(StunAttribute.Nonce.class).map(StunAttribute.Nonce::value);
        Optional<String> realm = response.first(StunAttribute.Realm.class).map(StunAttribute.Realm::value);
        if (newNonce.isEmpty() || realm.isPresent() && !realm.get().equals(credentials.realm())) {
            log.warn("relay {} challenged us without a nonce or for realm {}", activeServer, realm.orElse("?"));
            fail(FreeReason.AUTHENTICATION_FAILED);
            return;
        }
        if (request.nonceRetries() >= MAX_NONCE_RETRIES) {
            // Left alone, the request would be neither answered nor retried: a half-made allocation,
            // or a channel stuck "being bound", that nothing ever frees.
            log.warn("relay {} keeps rejecting our nonce; giving up its allocation", activeServer);
            fail(FreeReason.PROTOCOL_FAILURE);
            return;
        }
        nonce = newNonce.get();
        send(request.retried(now), now);
    }

    private void onAllocationMismatch(Request request, long now) {
        invalidateAllocation();
        switch (request.method()) {
            case StunMethod.ALLOCATE -> sendRefresh(now, true);
            case StunMethod.CHANNEL_BIND -> {
                bufferedBinds.add(request.peer());
                sendAllocate(now);
            }
            default -> {
                if (!releasing) {
                    sendAllocate(now);
                }
            }
        }
    }

    private void onOtherError(Request request, int code, long now) {
        switch (request.method()) {
            case StunMethod.ALLOCATE -> {
                if (askForIpv6) {
                    // A relay without IPv6 (or without RFC 8656 dual allocation) may refuse the second family.
                    askForIpv6 = false;
                    sendAllocate(now);
                    return;
                }
                log.warn("relay {} refused ALLOCATE with {}", activeServer, code);
                bufferedBinds.clear();
            }
            case StunMethod.CHANNEL_BIND -> {
                ChannelBindings.Channel channel = channels.forNumber(request.channel());
                if (channel != null && channel.peer.equals(request.peer())) {
                    channels.forget(channel);
                }
                log.debug("relay {} refused a channel to {} with {}", activeServer, request.peer(), code);
            }
            default -> {
                log.debug("relay {} answered {} with {}", activeServer, StunMethod.name(request.method()), code);
                invalidateAllocation();
                if (!releasing) {
                    sendAllocate(now);
                }
            }
        }
    }

    // ---- Requests ------------------------------------------------------------------------------

    /** Checks that the relay is alive, as the reference does whenever the portal lists it again. */
    public void refresh(long now) {
        if (failure != null || releasing) {
            return;
        }
        if (hasInFlight(StunMethod.ALLOCATE) || hasInFlight(StunMethod.REFRESH)) {
            return;
        }
        if (hasAllocation()) {
            sendRefresh(now, false);
        } else if (!hasInFlight(StunMethod.BINDING)) {
            activeServer = null;
            sendBindings(now);
        }
    }

    /**
     * Quickly checks that the relay still answers, e.g. because a path through it stopped working:
     * a BINDING, repeated after 0.5 s and 1 s; no answer within 1.5 s gives
     * {@link TurnEvent.Unresponsive}. A REFRESH (see {@link #refresh}) decides for good.
     */
    public void probe(long now) {
        if (activeServer == null || failure != null || releasing || hasProbeInFlight()) {
            return;
        }
        StunMessage binding = StunMessage.request(StunMethod.BINDING, TransactionId.random(random)).add(software).build();
        send(new Request(binding, activeServer, now, 0, null, 0, null, now + PROBE_RETRANSMIT_NANOS,
                PROBE_RETRANSMIT_NANOS, true), now);
    }

    /** False after a probe went unanswered, until the relay answers anything again. */
    public boolean isResponsive() {
        return !unresponsive;
    }

    private boolean hasProbeInFlight() {
        for (Request request : inFlight.values()) {
            if (request.probe()) {
                return true;
            }
        }
        return false;
    }

    /** Deletes the allocation on the relay (REFRESH with LIFETIME 0); the allocation is then freed. */
    public void release(long now) {
        if (releasing || failure != null) {
            return;
        }
        releasing = true;
        bufferedBinds.clear();
        inFlight.clear();
        if (hasAllocation() && activeServer != null) {
            sendRefresh(now, true);
        }
    }

    private void sendBindings(long now) {
        for (InetSocketAddress server : new InetSocketAddress[] {servers.ipv4(), servers.ipv6()}) {
            if (server != null) {
                StunMessage binding = StunMessage.request(StunMethod.BINDING, TransactionId.random(random))
                        .add(software).build();
                send(new Request(binding, server, now, 0, null, 0, null), now);
            }
        }
    }

    private void sendAllocate(long now) {
        if (activeServer == null || hasInFlight(StunMethod.ALLOCATE)) {
            return;
        }
        StunMessage.Builder allocate = StunMessage.request(StunMethod.ALLOCATE, TransactionId.random(random))
                .add(new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.UDP));
        if (askForIpv6) {
            allocate.add(new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6));
        }
        send(new Request(allocate.add(software).build(), activeServer, now, 0, null, 0, null), now);
    }

    /** REFRESH with the relay's default lifetime, or with LIFETIME 0 to delete the allocation. */
    private void sendRefresh(long now, boolean delete) {
        if (activeServer == null) {
            return;
        }
        StunMessage.Builder refresh = StunMessage.request(StunMethod.REFRESH, TransactionId.random(random))
                .add(new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.UDP));
        if (askForIpv6) {
            refresh.add(new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6));
        }
        if (delete) {
            refresh.add(new StunAttribute.Lifetime(0));
        }
        send(new Request(refresh.add(software).build(), activeServer, now, 0, null, 0, null), now);
    }

    private void sendChannelBind(ChannelBindings.Channel channel, long now) {
        channel.bindInFlight = true;
        StunMessage bind = StunMessage.request(StunMethod.CHANNEL_BIND, TransactionId.random(random))
                .add(new StunAttribute.XorPeerAddress(channel.peer))
                .add(new StunAttribute.ChannelNumber(channel.number))
                .add(software).build();
        send(new Request(bind, activeServer, now, channel.number, channel.peer, 0, null), now);
    }

    /**
     * Signs (with a fresh transaction id each time) and queues a request. Until the relay gave us a
     * nonce a request goes without credentials: RFC 8489 section 9.2.4 has a server answer a
     * request with MESSAGE-INTEGRITY but no NONCE with 400, and standard servers such as coturn do
     * (the reference signs its first ALLOCATE anyway; Firezone's relay answers both with 401).
     */
    private void send(Request request, long now) {
        StunMessage message = request.message();
        byte[] bytes;
        String usedNonce = null;
        if (message.method() == StunMethod.BINDING) {
            bytes = StunEncoder.encode(message);
        } else {
            StunMessage.Builder signed = message.toBuilder()
                    .transactionId(TransactionId.random(random))
                    .remove(StunAttribute.Username.class)
                    .remove(StunAttribute.Realm.class)
                    .remove(StunAttribute.Nonce.class);
            if (nonce == null) {
                message = signed.build();
                bytes = StunEncoder.encode(message);
            } else {
                usedNonce = nonce;
                message = signed.add(new StunAttribute.Username(credentials.username()))
                        .add(new StunAttribute.Realm(credentials.realm()))
                        .add(new StunAttribute.Nonce(nonce)).build();
                bytes = StunEncoder.encode(message, MessageProtection.integrity(key));
            }
        }
        Request sent = request.sentAs(message, usedNonce);
        inFlight.put(message.transactionId(), sent);
        transmit(new TurnTransmit(sent.destination(), bytes));
    }

    private boolean hasInFlight(int method) {
        for (Request request : inFlight.values()) {
            if (request.method() == method) {
                return true;
            }
        }
        return false;
    }

    // ---- Time ----------------------------------------------------------------------------------

    /** Retransmits, refreshes the allocation and used channels, and expires what ran out. */
    public void handleTimeout(long now) {
        for (Map.Entry<TransactionId, Request> entry : List.copyOf(inFlight.entrySet())) {
            Request request = entry.getValue();
            if (request.nextSendAt() > now || !inFlight.containsKey(entry.getKey())) {
                continue;
            }
            inFlight.remove(entry.getKey());
            if (request.probe()) {
                if (now - request.firstSentAt() >= PROBE_TIMEOUT_NANOS) {
                    unresponsive = true;
                    emit(new TurnEvent.Unresponsive());
                } else {
                    send(request.retransmitted(now, PROBE_RETRANSMIT_NANOS), now);
                }
                continue;
            }
            long nextInterval = (long) (request.interval() * RETRANSMIT_MULTIPLIER);
            if (now - request.firstSentAt() + nextInterval > MAX_RETRANSMIT_ELAPSED_NANOS) {
                gaveUp(request);
            } else {
                send(request.retransmitted(now, nextInterval), now);
            }
        }
        if (hasAllocation() && now - (lifetimeStartedAt + lifetimeNanos) >= 0) {
            log.debug("allocation on relay {} expired", activeServer);
            invalidateAllocation();
        }
        if (hasAllocation() && !releasing && !hasInFlight(StunMethod.REFRESH)
                && now - (lifetimeStartedAt + lifetimeNanos / 2) >= 0) {
            sendRefresh(now, false);
        }
        if (hasAllocation() && !releasing) {
            for (ChannelBindings.Channel channel : channels.dueForRefresh(now)) {
                sendChannelBind(channel, now);
            }
        }
    }

    private void gaveUp(Request request) {
        switch (request.method()) {
            case StunMethod.BINDING -> log.debug("relay address {} did not answer BINDING", request.destination());
            case StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CHANNEL_BIND -> {
                if (!releasing) {
                    log.warn("relay {} stopped answering; giving up its allocation", activeServer);
                }
                activeServer = null;
                invalidateAllocation();
                inFlight.clear();
            }
            default -> { }
        }
    }

    /** The next instant {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        long earliest = Long.MAX_VALUE;
        for (Request request : inFlight.values()) {
            earliest = Math.min(earliest, request.nextSendAt());
        }
        if (hasAllocation() && !releasing) {
            earliest = Math.min(earliest, lifetimeStartedAt + lifetimeNanos);
            if (!hasInFlight(StunMethod.REFRESH)) {
                earliest = Math.min(earliest, lifetimeStartedAt + lifetimeNanos / 2);
            }
            earliest = Math.min(earliest, channels.nextRefreshAt());
        }
        return earliest;
    }

    public TurnTransmit pollTransmit() {
        return transmits.poll();
    }

    public TurnEvent pollEvent() {
        return events.poll();
    }

    // ---- State ---------------------------------------------------------------------------------

    private void startLifetime(long seconds, long now) {
        lifetimeStartedAt = now;
        lifetimeNanos = Duration.ofSeconds(seconds).toNanos();
    }

    private void setServerReflexive(Candidate candidate) {
        Candidate previous = candidate.isIpv4() ? serverReflexive4 : serverReflexive6;
        if (candidate.equals(previous)) {
            return;
        }
        if (candidate.isIpv4()) {
            serverReflexive4 = candidate;
        } else {
            serverReflexive6 = candidate;
        }
        emit(new TurnEvent.CandidateAdded(candidate));
        if (previous != null) {
            emit(new TurnEvent.CandidateRemoved(previous));
        }
    }

    private void setRelayed(Candidate v4, Candidate v6) {
        Candidate old4 = relayed4;
        Candidate old6 = relayed6;
        relayed4 = v4;
        relayed6 = v6;
        for (Candidate added : new Candidate[] {v4, v6}) {
            if (added != null && !added.equals(old4) && !added.equals(old6)) {
                emit(new TurnEvent.CandidateAdded(added));
            }
        }
        for (Candidate removed : new Candidate[] {old4, old6}) {
            if (removed != null && !removed.equals(v4) && !removed.equals(v6)) {
                emit(new TurnEvent.CandidateRemoved(removed));
            }
        }
    }

    /** Our relayed addresses are gone (expiry, a lost relay, a 437): so are the channels on them. */
    private void invalidateAllocation() {
        setRelayed(null, null);
        channels.clear();
        lifetimeNanos = 0;
        for (Map.Entry<TransactionId, Request> entry : List.copyOf(inFlight.entrySet())) {
            if (entry.getValue().method() == StunMethod.CHANNEL_BIND) {
                inFlight.remove(entry.getKey());
            }
        }
    }

    private void fail(FreeReason reason) {
        failure = reason;
        invalidateAllocation();
        inFlight.clear();
        bufferedBinds.clear();
    }

    private void transmit(TurnTransmit transmit) {
        if (transmits.size() < MAX_QUEUED) {
            transmits.add(transmit);
        }
    }

    private void emit(TurnEvent event) {
        if (events.size() < MAX_QUEUED) {
            events.add(event);
        }
    }

    /**
     * One request with its retransmission state. {@code message} is the unsigned request for
     * BINDING, and the last signed one for the rest (re-signed with a fresh id on every send).
     */
    private record Request(StunMessage message, InetSocketAddress destination, long firstSentAt, int channel,
                           InetSocketAddress peer, int nonceRetries, String nonce, long nextSendAt, long interval,
                           boolean probe) {

        Request(StunMessage message, InetSocketAddress destination, long now, int channel, InetSocketAddress peer,
                int nonceRetries, String nonce) {
            this(message, destination, now, channel, peer, nonceRetries, nonce, now + INITIAL_RETRANSMIT_NANOS,
                    INITIAL_RETRANSMIT_NANOS, false);
        }

        int method() {
            return message.method();
        }

        boolean hadNonce() {
            return nonce != null;
        }

        boolean deletes() {
            return message.first(StunAttribute.Lifetime.class).map(l -> l.seconds() == 0).orElse(false);
        }

        Request sentAs(StunMessage signed, String usedNonce) {
            return new Request(signed, destination, firstSentAt, channel, peer, nonceRetries, usedNonce, nextSendAt, interval,
                    probe);
        }

        Request retransmitted(long now, long nextInterval) {
            return new Request(message, destination, firstSentAt, channel, peer, nonceRetries, nonce, now + nextInterval,
                    nextInterval, probe);
        }

        /** Sent again after a challenge: a new exchange, with the retransmission clock restarted. */
        Request retried(long now) {
            return new Request(message, destination, now, channel, peer, nonceRetries + 1, nonce);
        }
    }
}

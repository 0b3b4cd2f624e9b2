package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.RelayUsername;
import dev.zonewire.stun.StampSecret;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunDecodeResult;
import dev.zonewire.stun.StunDecoder;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunErrorCode;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMessageClass;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Firezone's TURN relay as a sans-IO state machine (spec/relay.md sections 2-4): datagrams and
 * time go in, STUN responses ({@link #pollTransmit}), socket commands ({@link #pollEvent}) and
 * relay decisions ({@link Forward}) come out. No threads, sockets or clocks: the monotonic time
 * ({@code nowNanos}) and, for credential expiry, the wall clock ({@code unixMillis}) are passed in.
 *
 * <p>The driver loop: feed a datagram or a timeout, then drain {@link #pollEvent} (opening and
 * closing allocation sockets, reporting failures with {@link #handleAllocationFailed}), then
 * {@link #pollTransmit}, then sleep until {@link #pollTimeout} or the next datagram.
 *
 * <p>Not thread-safe: one event loop owns it.
 */
public final class RelayServer {
    static final long DEFAULT_LIFETIME_SECONDS = 600;
    static final long MAX_LIFETIME_SECONDS = 3600;
    static final long CHANNEL_LIFETIME_SECONDS = 600;
    static final long CHANNEL_COOLDOWN_SECONDS = 300;
    private static final int MAX_ALLOCATION_ATTEMPTS = 3;

    private final RelayServerConfig config;
    private final StampSecret secret;
    private final RandomGenerator random;
    private final Nonces nonces;
    private final PeerAddressPolicy peerPolicy;
    private final Map<InetSocketAddress, Allocation> allocationsByClient = new HashMap<>();
    private final Allocation[] allocationsByPort = new Allocation[65536];
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<RelayEvent> events = new ArrayDeque<>();
    private final Deadlines deadlines = new Deadlines();
    private final Map<Integer, PendingAllocation> unsentAllocations = new HashMap<>();
    private final RelayCounters counters = new RelayCounters();
    private final Forward forward = new Forward();
    private boolean acceptingAllocations = true;
    private int boundChannels;

    /**
     * @param secret the stamp secret all credentials of this relay derive from
     * @param random randomness for allocation ports and the nonce key; a seed reproduces a run
     */
    public RelayServer(RelayServerConfig config, StampSecret secret, RandomGenerator random) {
        this.config = config;
        this.secret = secret;
        this.random = random;
        this.peerPolicy = new PeerAddressPolicy(config);
        byte[] nonceKey = new byte[32];
        random.nextBytes(nonceKey);
        this.nonces = new Nonces(nonceKey, config.nonceLifetime().toNanos(), config.nonceTableCapacity());
    }

    /**
     * A datagram that arrived on the listen port. Returns where to relay it if it is ChannelData
     * on a bound channel (the payload goes from the allocation port to the peer), else null;
     * STUN requests are answered through {@link #pollTransmit}. Never throws on bad bytes.
     */
    public Forward handleClientInput(ByteBuffer datagram, InetSocketAddress client, long nowNanos, long unixMillis) {
        if (!datagram.hasRemaining()) {
            counters.drop(DropReason.EMPTY);
            return null;
        }
        int first = datagram.get(datagram.position()) & 0xFF;
        if (first >= 0x40 && first <= 0x7F) {
            return relayFromClient(datagram, client);
        }
        if (first <= 0x03) {
            handleStun(datagram, client, nowNanos, unixMillis);
            return null;
        }
        counters.drop(DropReason.NOT_STUN_OR_CHANNEL_DATA);
        return null;
    }

    /**
     * A datagram from {@code peer} on an allocation port. Returns the client and channel to relay
     * it to (the driver prepends the ChannelData header and sends from the listen port), or null
     * if no channel of that allocation is bound to exactly this peer address.
     */
    public Forward handlePeerInput(ByteBuffer datagram, InetSocketAddress peer, int allocationPort, long nowNanos) {
        Allocation allocation = allocationPort > 0 && allocationPort < allocationsByPort.length
                ? allocationsByPort[allocationPort] : null;
        if (allocation == null) {
            counters.drop(DropReason.NO_ALLOCATION_ON_PORT);
            return null;
        }
        ChannelBinding binding = allocation.bindingForPeer(peer);
        if (binding == null || !binding.bound) {
            counters.drop(DropReason.NO_CHANNEL_FOR_PEER);
            return null;
        }
        int length = datagram.remaining();
        if (length > ChannelData.MAX_PAYLOAD) {
            counters.drop(DropReason.OVERSIZED);
            return null;
        }
        counters.peerToClientPackets++;
        counters.peerToClientBytes += length;
        return forward.set(allocation.client, allocation.clientAddress, 0, binding.number, datagram.position(), length);
    }

    /** Expires allocations and channels whose time has come. */
    public void handleTimeout(long nowNanos) {
        for (Deadlines.Target due = deadlines.pollDue(nowNanos); due != null; due = deadlines.pollDue(nowNanos)) {
            switch (due) {
                case Allocation allocation -> free(allocation);
                case ChannelBinding binding when binding.bound -> unbind(binding);
                case ChannelBinding binding -> delete(binding);
            }
        }
    }

    /**
     * The driver could not open the socket of an allocation. While the allocation's success
     * response is still unsent, the relay moves it to another port (up to three tries, then 508);
     * otherwise the allocation is freed.
     */
    public void handleAllocationFailed(int port, AddressFamily family, long nowNanos) {
        Allocation allocation = port > 0 && port < allocationsByPort.length ? allocationsByPort[port] : null;
        if (allocation == null) {
            return;
        }
        events.removeIf(event -> event instanceof RelayEvent.AllocationCreated created && created.port() == port);
        free(allocation);
        PendingAllocation pending = unsentAllocations.remove(port);
        if (pending == null || !transmits.remove(pending.response())) {
            return;
        }
        if (pending.attempt() >= MAX_ALLOCATION_ATTEMPTS) {
            pending.responder().error(StunErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        create(pending.responder(), allocation.client, allocation.ipv4, allocation.ipv6, pending.lifetimeSeconds(),
                pending.addressError(), pending.even(), allocation.createdBy, nowNanos, pending.attempt() + 1, port);
    }

    /** The next instant {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        return deadlines.next();
    }

    /** The next STUN message to send, or null. */
    public Transmit pollTransmit() {
        Transmit next = transmits.poll();
        if (transmits.isEmpty()) {
            // Once sent, a success response can no longer be replaced by handleAllocationFailed.
            unsentAllocations.clear();
        }
        return next;
    }

    /** The next socket command, or null. Drain these before {@link #pollTransmit}. */
    public RelayEvent pollEvent() {
        return events.poll();
    }

    /**
     * Graceful shutdown: new Allocate requests get 508 from now on, while existing allocations
     * keep relaying and can be refreshed until they expire or are deleted.
     */
    public void stopAcceptingAllocations() {
        acceptingAllocations = false;
    }

    public boolean isAcceptingAllocations() {
        return acceptingAllocations;
    }

    public int allocationCount() {
        return allocationsByClient.size();
    }

    /** Channels that relay data now (not those in their cooldown). */
    public int boundChannelCount() {
        return boundChannels;
    }

    /** How many expiry instants are queued (one per allocation and channel at most). */
    int scheduledDeadlines() {
        return deadlines.size();
    }

    public StampSecret stampSecret() {
        return secret;
    }

    /** Counts datagrams the driver dropped (e.g. sends the kernel refused). */
    public void countDrops(DropReason reason, long count) {
        counters.drop(reason, count);
    }

    public RelayStats stats() {
        return new RelayStats(allocationsByClient.size(), boundChannels, counters.allocationsCreated, nonces.tracked(),
                counters.clientToPeerPackets, counters.clientToPeerBytes, counters.peerToClientPackets,
                counters.peerToClientBytes, counters.dropsSnapshot(), counters.responsesSnapshot());
    }

    // ---- client to peer -------------------------------------------------------------------

    private Forward relayFromClient(ByteBuffer datagram, InetSocketAddress client) {
        int length = ChannelData.payloadLength(datagram, ChannelData.MIN_CHANNEL, ChannelData.MAX_CHANNEL_RFC5766);
        if (length < 0) {
            counters.drop(DropReason.MALFORMED_CHANNEL_DATA);
            return null;
        }
        Allocation allocation = allocationsByClient.get(client);
        ChannelBinding binding = allocation == null ? null : allocation.channel(ChannelData.channel(datagram));
        if (binding == null || !binding.bound) {
            counters.drop(DropReason.UNBOUND_CHANNEL);
            return null;
        }
        counters.clientToPeerPackets++;
        counters.clientToPeerBytes += length;
        return forward.set(binding.peer, binding.peerAddress, allocation.port, binding.number,
                datagram.position() + ChannelData.HEADER_LENGTH, length);
    }

    // ---- STUN -----------------------------------------------------------------------------

    private void handleStun(ByteBuffer datagram, InetSocketAddress client, long nowNanos, long unixMillis) {
        switch (ClassicStun.classify(datagram)) {
            case ANSWERABLE -> {
                transmits.add(new Transmit(client, ClassicStun.answer(datagram, client)));
                counters.response(StunMethod.BINDING, 0);
                return;
            }
            case CHANGE_REQUESTED -> {
                counters.drop(DropReason.CLASSIC_CHANGE_REQUEST);
                return;
            }
            case NOT_CLASSIC -> {
            }
        }
        switch (StunDecoder.decode(datagram)) {
            case StunDecodeResult.Malformed ignored -> counters.drop(DropReason.MALFORMED_STUN);
            case StunDecodeResult.BadAttribute bad when bad.messageClass() == StunMessageClass.REQUEST ->
                    new Responder(bad.method(), bad.transactionId(), client, null, false).error(StunErrorCode.BAD_REQUEST);
            case StunDecodeResult.BadAttribute ignored -> counters.drop(DropReason.MALFORMED_STUN);
            case StunDecodeResult.Decoded decoded -> handleMessage(decoded.received(), client, nowNanos, unixMillis);
        }
    }

    private void handleMessage(ReceivedStunMessage received, InetSocketAddress client, long nowNanos, long unixMillis) {
        StunMessage message = received.message();
        if (received.hasFingerprint() && !received.verifyFingerprint()) {
            counters.drop(DropReason.BAD_FINGERPRINT);
            return;
        }
        switch (message.messageClass()) {
            case INDICATION -> counters.drop(DropReason.UNEXPECTED_INDICATION);
            case SUCCESS_RESPONSE, ERROR_RESPONSE -> counters.drop(DropReason.UNEXPECTED_RESPONSE);
            case REQUEST -> handleRequest(received, client, nowNanos, unixMillis);
        }
    }

    private void handleRequest(ReceivedStunMessage received, InetSocketAddress client, long nowNanos, long unixMillis) {
        StunMessage request = received.message();
        switch (request.method()) {
            case StunMethod.BINDING -> answerBinding(received, client);
            case StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CREATE_PERMISSION, StunMethod.CHANNEL_BIND ->
                    handleProtected(received, client, nowNanos, unixMillis);
            default -> new Responder(request.method(), request.transactionId(), client, null, received.hasFingerprint())
                    .error(StunErrorCode.BAD_REQUEST);
        }
    }

    private void answerBinding(ReceivedStunMessage received, InetSocketAddress client) {
        StunMessage request = received.message();
        Responder responder = new Responder(request.method(), request.transactionId(), client, null, received.hasFingerprint());
        if (!received.unknownComprehensionRequired().isEmpty()) {
            responder.error(StunErrorCode.UNKNOWN_ATTRIBUTE,
                    new StunAttribute.UnknownAttributes(received.unknownComprehensionRequired()));
            return;
        }
        responder.success(new StunAttribute.XorMappedAddress(client));
    }

    /** Allocate, Refresh, CreatePermission and ChannelBind: parse, authenticate (spec section 2.2), dispatch. */
    private void handleProtected(ReceivedStunMessage received, InetSocketAddress client, long nowNanos, long unixMillis) {
        StunMessage request = received.message();
        boolean fingerprint = received.hasFingerprint();
        if (lacksRequiredAttributes(request)) {
            new Responder(request.method(), request.transactionId(), client, null, fingerprint).error(StunErrorCode.BAD_REQUEST);
            return;
        }
        Optional<String> usernameText = request.first(StunAttribute.Username.class).map(StunAttribute.Username::value);
        RelayUsername username = usernameText.flatMap(RelayUsername::parse).orElse(null);
        IntegrityKey key = username == null ? null : RelayCredentials.key(secret, username);
        Responder responder = new Responder(request.method(), request.transactionId(), client, key, fingerprint);

        Optional<String> nonce = request.first(StunAttribute.Nonce.class).map(StunAttribute.Nonce::value);
        if (!received.hasMessageIntegrity() || usernameText.isEmpty() || nonce.isEmpty()) {
            responder.challenge(StunErrorCode.UNAUTHORIZED, nonces.mint(nowNanos));
            return;
        }
        switch (nonces.check(nonce.get(), nowNanos)) {
            case UNPARSEABLE -> {
                responder.challenge(StunErrorCode.UNAUTHORIZED, nonces.mint(nowNanos));
                return;
            }
            case STALE -> {
                responder.challenge(StunErrorCode.STALE_NONCE, nonces.mint(nowNanos));
                return;
            }
            case USABLE -> {
            }
        }
        if (username == null || username.isExpiredAt(unixMillis) || !received.verifyMessageIntegrity(key)) {
            responder.challenge(StunErrorCode.UNAUTHORIZED, nonces.mint(nowNanos));
            return;
        }
        nonces.consume(nonce.get(), nowNanos);
        if (!received.unknownComprehensionRequired().isEmpty()) {
            responder.error(StunErrorCode.UNKNOWN_ATTRIBUTE,
                    new StunAttribute.UnknownAttributes(received.unknownComprehensionRequired()));
            return;
        }
        switch (request.method()) {
            case StunMethod.ALLOCATE -> allocate(request, responder, client, nowNanos);
            case StunMethod.REFRESH -> refresh(request, responder, client, nowNanos);
            case StunMethod.CREATE_PERMISSION -> createPermission(request, responder, client);
            default -> bindChannel(request, responder, client, nowNanos);
        }
    }

    private static boolean lacksRequiredAttributes(StunMessage request) {
        return switch (request.method()) {
            case StunMethod.ALLOCATE -> !request.has(StunAttribute.RequestedTransport.class);
            case StunMethod.CHANNEL_BIND -> !request.has(StunAttribute.ChannelNumber.class)
                    || !request.has(StunAttribute.XorPeerAddress.class);
            default -> false;
        };
    }

    // ---- Allocate -------------------------------------------------------------------------

    private void allocate(StunMessage request, Responder responder, InetSocketAddress client, long nowNanos) {
        Allocation existing = allocationsByClient.get(client);
        if (existing != null) {
            if (existing.createdBy.equals(request.transactionId())) {
                long remaining = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(existing.expiresAt - nowNanos + 999_999_999));
                responder.success(allocateSuccessAttributes(existing, remaining, null));
            } else {
                responder.error(StunErrorCode.ALLOCATION_MISMATCH);
            }
            return;
        }
        if (!acceptingAllocations || allocationsByClient.size() >= config.portCount()) {
            responder.error(StunErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        if (request.first(StunAttribute.RequestedTransport.class).orElseThrow().protocol()
                != StunAttribute.RequestedTransport.UDP) {
            responder.error(StunErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL);
            return;
        }
        Optional<StunAttribute.EvenPort> evenPort = request.first(StunAttribute.EvenPort.class);
        if (evenPort.isPresent() && evenPort.get().reserveNext()) {
            // RFC 8656 section 7.2 step 8: this relay keeps no port reservations.
            responder.error(request.has(StunAttribute.AdditionalAddressFamily.class)
                    ? StunErrorCode.BAD_REQUEST : StunErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        Optional<AddressFamily> requested = request.first(StunAttribute.RequestedAddressFamily.class)
                .map(StunAttribute.RequestedAddressFamily::family);
        Optional<AddressFamily> additional = request.first(StunAttribute.AdditionalAddressFamily.class)
                .map(StunAttribute.AdditionalAddressFamily::family);
        if ((requested.isPresent() && additional.isPresent()) || additional.orElse(null) == AddressFamily.IPV4) {
            responder.error(StunErrorCode.BAD_REQUEST);
            return;
        }
        boolean hasIp4 = config.publicIp4() != null;
        boolean hasIp6 = config.publicIp6() != null;
        boolean ipv4;
        boolean ipv6;
        StunAttribute.AddressErrorCode addressError = null;
        if (requested.isPresent()) {
            ipv4 = requested.get() == AddressFamily.IPV4;
            ipv6 = !ipv4;
            if ((ipv4 && !hasIp4) || (ipv6 && !hasIp6)) {
                responder.error(StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
                return;
            }
        } else if (additional.isPresent()) {
            ipv4 = hasIp4;
            ipv6 = hasIp6;
            if (!hasIp6) {
                addressError = new StunAttribute.AddressErrorCode(AddressFamily.IPV6,
                        StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED,
                        StunErrorCode.reasonPhrase(StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED));
            }
        } else {
            if (!hasIp4) {
                responder.error(StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
                return;
            }
            ipv4 = true;
            ipv6 = false;
        }
        create(responder, client, ipv4, ipv6, effectiveLifetime(request), addressError, evenPort.isPresent(),
                request.transactionId(), nowNanos, 1, -1);
    }

    private void create(Responder responder, InetSocketAddress client, boolean ipv4, boolean ipv6, long lifetimeSeconds,
                        StunAttribute.AddressErrorCode addressError, boolean even, TransactionId createdBy, long nowNanos,
                        int attempt, int avoidPort) {
        int port = pickPort(avoidPort, even);
        if (port < 0) {
            responder.error(StunErrorCode.INSUFFICIENT_CAPACITY);
            return;
        }
        Allocation allocation = new Allocation(client, port, ipv4, ipv6,
                nowNanos + TimeUnit.SECONDS.toNanos(lifetimeSeconds), createdBy);
        allocationsByClient.put(client, allocation);
        allocationsByPort[port] = allocation;
        deadlines.schedule(allocation, allocation.expiresAt);
        counters.allocationsCreated++;
        if (ipv4) {
            events.add(new RelayEvent.AllocationCreated(port, AddressFamily.IPV4, client));
        }
        if (ipv6) {
            events.add(new RelayEvent.AllocationCreated(port, AddressFamily.IPV6, client));
        }
        Transmit response = responder.success(allocateSuccessAttributes(allocation, lifetimeSeconds, addressError));
        unsentAllocations.put(port, new PendingAllocation(response, responder, lifetimeSeconds, addressError, even, attempt));
    }

    private StunAttribute[] allocateSuccessAttributes(Allocation allocation, long lifetimeSeconds,
                                                      StunAttribute.AddressErrorCode addressError) {
        List<StunAttribute> attributes = new ArrayList<>(5);
        if (allocation.ipv4) {
            attributes.add(new StunAttribute.XorRelayedAddress(new InetSocketAddress(config.publicIp4(), allocation.port)));
        }
        if (allocation.ipv6) {
            attributes.add(new StunAttribute.XorRelayedAddress(new InetSocketAddress(config.publicIp6(), allocation.port)));
        }
        attributes.add(new StunAttribute.XorMappedAddress(allocation.client));
        attributes.add(new StunAttribute.Lifetime(lifetimeSeconds));
        if (addressError != null) {
            attributes.add(addressError);
        }
        return attributes.toArray(StunAttribute[]::new);
    }

    /** RFC 8656 section 7.2: absent means the default; otherwise at least the default and at most the maximum. */
    private static long effectiveLifetime(StunMessage request) {
        return request.first(StunAttribute.Lifetime.class)
                .map(lifetime -> Math.clamp(lifetime.seconds(), DEFAULT_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS))
                .orElse(DEFAULT_LIFETIME_SECONDS);
    }

    /** A random free port of the range (even if asked); after a few collisions, the next free one after a random start. */
    private int pickPort(int avoidPort, boolean even) {
        int lowest = config.lowestPort();
        int count = config.portCount();
        for (int attempt = 0; attempt < 16; attempt++) {
            int port = lowest + random.nextInt(count);
            if (isFree(port, avoidPort, even)) {
                return port;
            }
        }
        int start = random.nextInt(count);
        for (int i = 0; i < count; i++) {
            int port = lowest + (start + i) % count;
            if (isFree(port, avoidPort, even)) {
                return port;
            }
        }
        return -1;
    }

    private boolean isFree(int port, int avoidPort, boolean even) {
        return allocationsByPort[port] == null && port != avoidPort && (!even || port % 2 == 0);
    }

    // ---- Refresh --------------------------------------------------------------------------

    private void refresh(StunMessage request, Responder responder, InetSocketAddress client, long nowNanos) {
        Allocation allocation = allocationsByClient.get(client);
        if (allocation == null) {
            responder.error(StunErrorCode.ALLOCATION_MISMATCH);
            return;
        }
        Optional<AddressFamily> family = request.first(StunAttribute.RequestedAddressFamily.class)
                .map(StunAttribute.RequestedAddressFamily::family);
        if (family.isPresent() && !allocation.supports(family.get())) {
            responder.error(StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
            return;
        }
        boolean delete = request.first(StunAttribute.Lifetime.class).map(l -> l.seconds() == 0).orElse(false);
        if (delete) {
            if (family.isPresent() && allocation.ipv4 && allocation.ipv6) {
                dropFamily(allocation, family.get());
            } else {
                free(allocation);
            }
            responder.success(new StunAttribute.Lifetime(0));
            return;
        }
        long lifetime = effectiveLifetime(request);
        allocation.expiresAt = nowNanos + TimeUnit.SECONDS.toNanos(lifetime);
        deadlines.schedule(allocation, allocation.expiresAt);
        responder.success(new StunAttribute.Lifetime(lifetime));
    }

    /** RFC 8656 section 7.3: a dual-stack allocation can give up one family and keep the other. */
    private void dropFamily(Allocation allocation, AddressFamily family) {
        for (ChannelBinding binding : allocation.bindings()) {
            if (AddressFamily.of(binding.peer.getAddress()) == family) {
                delete(binding);
            }
        }
        if (family == AddressFamily.IPV4) {
            allocation.ipv4 = false;
        } else {
            allocation.ipv6 = false;
        }
        events.add(new RelayEvent.AllocationFreed(allocation.port, family));
    }

    // ---- CreatePermission and ChannelBind --------------------------------------------------

    /**
     * Checks what RFC 8656 requires and installs nothing: peer data is only relayed through a
     * channel bound to the peer's exact address, which is stricter than an IP permission.
     */
    private void createPermission(StunMessage request, Responder responder, InetSocketAddress client) {
        Allocation allocation = allocationsByClient.get(client);
        if (allocation == null) {
            responder.error(StunErrorCode.ALLOCATION_MISMATCH);
            return;
        }
        List<StunAttribute.XorPeerAddress> peers = request.all(StunAttribute.XorPeerAddress.class);
        if (peers.isEmpty()) {
            responder.error(StunErrorCode.BAD_REQUEST);
            return;
        }
        for (StunAttribute.XorPeerAddress peer : peers) {
            if (!allocation.supports(AddressFamily.of(peer.address().getAddress()))) {
                responder.error(StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
                return;
            }
        }
        if (!peers.stream().allMatch(peer -> peerPolicy.allows(peer.address()))) {
            responder.error(StunErrorCode.FORBIDDEN);
            return;
        }
        responder.success();
    }

    private void bindChannel(StunMessage request, Responder responder, InetSocketAddress client, long nowNanos) {
        Allocation allocation = allocationsByClient.get(client);
        if (allocation == null) {
            responder.error(StunErrorCode.ALLOCATION_MISMATCH);
            return;
        }
        InetSocketAddress peer = request.first(StunAttribute.XorPeerAddress.class).orElseThrow().address();
        int number = request.first(StunAttribute.ChannelNumber.class).orElseThrow().number();
        if (!allocation.supports(AddressFamily.of(peer.getAddress()))) {
            responder.error(StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
            return;
        }
        if (!peerPolicy.allows(peer)) {
            responder.error(StunErrorCode.FORBIDDEN);
            return;
        }
        ChannelBinding sameNumber = allocation.channel(number);
        ChannelBinding samePeer = allocation.bindingForPeer(peer);
        if ((samePeer != null && samePeer.number != number) || (sameNumber != null && !sameNumber.peer.equals(peer))) {
            responder.error(StunErrorCode.BAD_REQUEST);
            return;
        }
        long expiresAt = nowNanos + TimeUnit.SECONDS.toNanos(CHANNEL_LIFETIME_SECONDS);
        ChannelBinding binding = sameNumber;
        if (binding == null) {
            binding = new ChannelBinding(allocation, number, peer, expiresAt);
            allocation.add(binding);
            boundChannels++;
        } else {
            binding.expiresAt = expiresAt;
            if (!binding.bound) {
                binding.bound = true;
                boundChannels++;
            }
        }
        deadlines.schedule(binding, expiresAt);
        responder.success();
    }

    // ---- expiry ---------------------------------------------------------------------------

    private void free(Allocation allocation) {
        deadlines.cancel(allocation);
        allocationsByClient.remove(allocation.client);
        allocationsByPort[allocation.port] = null;
        for (ChannelBinding binding : allocation.bindings()) {
            deadlines.cancel(binding);
            if (binding.bound) {
                boundChannels--;
            }
        }
        if (allocation.ipv4) {
            events.add(new RelayEvent.AllocationFreed(allocation.port, AddressFamily.IPV4));
        }
        if (allocation.ipv6) {
            events.add(new RelayEvent.AllocationFreed(allocation.port, AddressFamily.IPV6));
        }
    }

    private void unbind(ChannelBinding binding) {
        binding.bound = false;
        boundChannels--;
        deadlines.schedule(binding, cooldownEnd(binding));
    }

    private void delete(ChannelBinding binding) {
        if (binding.bound) {
            boundChannels--;
        }
        deadlines.cancel(binding);
        binding.allocation.remove(binding);
    }

    private static long cooldownEnd(ChannelBinding binding) {
        return binding.expiresAt + TimeUnit.SECONDS.toNanos(CHANNEL_COOLDOWN_SECONDS);
    }

    // ---- responses ------------------------------------------------------------------------

    /** An Allocate success that the driver has not sent yet, kept in case its socket cannot be opened. */
    private record PendingAllocation(Transmit response, Responder responder, long lifetimeSeconds,
                                     StunAttribute.AddressErrorCode addressError, boolean even, int attempt) {
    }

    /**
     * Builds and queues the responses to one request: signed with the key derived from the
     * request's USERNAME when there is one (Firezone's TURN client ignores unsigned responses,
     * errors included), with a FINGERPRINT when the request had one.
     */
    private final class Responder {
        private final int method;
        private final TransactionId transactionId;
        private final InetSocketAddress client;
        private final IntegrityKey key;
        private final boolean fingerprint;

        Responder(int method, TransactionId transactionId, InetSocketAddress client, IntegrityKey key, boolean fingerprint) {
            this.method = method;
            this.transactionId = transactionId;
            this.client = client;
            this.key = key;
            this.fingerprint = fingerprint;
        }

        Transmit success(StunAttribute... attributes) {
            StunMessage.Builder message = StunMessage.successResponse(method, transactionId);
            for (StunAttribute attribute : attributes) {
                message.add(attribute);
            }
            counters.response(method, 0);
            return send(message.build());
        }

        void error(int code, StunAttribute... attributes) {
            StunMessage.Builder message = StunMessage.errorResponse(method, transactionId, code);
            for (StunAttribute attribute : attributes) {
                message.add(attribute);
            }
            counters.response(method, code);
            send(message.build());
        }

        /** 401 or 438 with the realm and a fresh nonce, so that the client can (re-)authenticate. */
        void challenge(int code, String nonce) {
            error(code, new StunAttribute.Realm(RelayCredentials.REALM), new StunAttribute.Nonce(nonce));
        }

        private Transmit send(StunMessage message) {
            MessageProtection protection = key == null ? MessageProtection.NONE : MessageProtection.integrity(key);
            if (fingerprint) {
                protection = protection.withFingerprint();
            }
            Transmit transmit = new Transmit(client, StunEncoder.encode(message, protection));
            transmits.add(transmit);
            return transmit;
        }
    }
}

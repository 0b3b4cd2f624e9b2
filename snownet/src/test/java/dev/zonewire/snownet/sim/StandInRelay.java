package dev.zonewire.snownet.sim;

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

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A stand-in for the relay's sans-IO server while the real one (module {@code relay}) has not
 * landed on main: the behaviour of ../shared/spec/relay.md section 2 that a TURN client can
 * observe. Binding; long-term authentication with signed 401/438 and nonces good for 100
 * requests; Allocate with the family table of section 2.5; Refresh with lifetime 0 deleting;
 * ChannelBind with the 600 s + 300 s lifetimes and conflict rules; ChannelData both ways,
 * filtered by exact peer address. Same shape as the real server: client and peer input, then
 * transmits and allocation events to drain.
 */
public final class StandInRelay {
    public static final int LISTEN_PORT = 3478;
    static final int LOWEST_PORT = 49152;
    private static final long DEFAULT_LIFETIME = Duration.ofSeconds(600).toNanos();
    private static final long MAX_LIFETIME = Duration.ofSeconds(3600).toNanos();
    private static final long CHANNEL_LIFETIME = Duration.ofSeconds(600).toNanos();
    private static final long CHANNEL_COOLDOWN = Duration.ofSeconds(300).toNanos();
    private static final int NONCE_USES = 100;

    /** A STUN message to send from the listen port. */
    public record Transmit(InetSocketAddress destination, byte[] payload) {
    }

    /** Data to relay: towards a peer from {@code sourcePort}, or towards a client from the listen port (0). */
    public record Forward(InetSocketAddress destination, int sourcePort, byte[] payload) {
    }

    public sealed interface Event {
        record AllocationCreated(int port, AddressFamily family) implements Event {
        }

        record AllocationFreed(int port, AddressFamily family) implements Event {
        }
    }

    private static final class Allocation {
        final InetSocketAddress client;
        final int port;
        final boolean ipv4;
        final boolean ipv6;
        long expiresAt;
        final Map<Integer, Binding> byNumber = new HashMap<>();
        final Map<InetSocketAddress, Binding> byPeer = new HashMap<>();

        Allocation(InetSocketAddress client, int port, boolean ipv4, boolean ipv6) {
            this.client = client;
            this.port = port;
            this.ipv4 = ipv4;
            this.ipv6 = ipv6;
        }
    }

    private static final class Binding {
        final int number;
        final InetSocketAddress peer;
        long expiresAt;

        Binding(int number, InetSocketAddress peer) {
            this.number = number;
            this.peer = peer;
        }

        boolean isBound(long now) {
            return now < expiresAt;
        }
    }

    private final Inet4Address publicIp4;
    private final Inet6Address publicIp6;
    private final StampSecret secret;
    private final RandomGenerator random;
    private final Map<InetSocketAddress, Allocation> allocations = new HashMap<>();
    private final Map<Integer, Allocation> byPort = new HashMap<>();
    private final Map<String, Integer> nonces = new HashMap<>();
    private int nextPort = LOWEST_PORT;
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<Event> events = new ArrayDeque<>();

    public StandInRelay(Inet4Address publicIp4, Inet6Address publicIp6, StampSecret secret, RandomGenerator random) {
        this.publicIp4 = publicIp4;
        this.publicIp6 = publicIp6;
        this.secret = secret;
        this.random = random;
    }

    public StampSecret stampSecret() {
        return secret;
    }

    /** Forgets every allocation without telling the clients, as a relay that restarted would. */
    public void forgetAllocations() {
        for (Allocation allocation : List.copyOf(allocations.values())) {
            free(allocation);
        }
    }

    public int allocationCount() {
        return allocations.size();
    }

    // ---- Input ---------------------------------------------------------------------------------

    /** A datagram on the listen port. Returns what to relay to a peer, or null. */
    public Forward handleClientInput(ByteBuffer datagram, InetSocketAddress client, long now, long unixMillis) {
        if (!datagram.hasRemaining()) {
            return null;
        }
        int first = datagram.get(datagram.position()) & 0xFF;
        if (first <= 3) {
            handleStun(datagram, client, now, unixMillis);
            return null;
        }
        if (first >= 0x40 && first <= 0x4F) {
            return handleChannelData(datagram, client, now);
        }
        return null;
    }

    /** A datagram on an allocation port. Returns the ChannelData to send to the client, or null. */
    public Forward handlePeerInput(ByteBuffer datagram, InetSocketAddress peer, int allocationPort, long now) {
        Allocation allocation = byPort.get(allocationPort);
        if (allocation == null) {
            return null;
        }
        Binding binding = allocation.byPeer.get(peer);
        if (binding == null || !binding.isBound(now)) {
            return null;
        }
        byte[] payload = new byte[datagram.remaining()];
        datagram.get(datagram.position(), payload);
        return new Forward(allocation.client, 0, ChannelData.encode(binding.number, payload, false));
    }

    private Forward handleChannelData(ByteBuffer datagram, InetSocketAddress client, long now) {
        int length = ChannelData.payloadLength(datagram);
        Allocation allocation = allocations.get(client);
        if (length < 0 || allocation == null) {
            return null;
        }
        Binding binding = allocation.byNumber.get(ChannelData.channel(datagram));
        if (binding == null || !binding.isBound(now)) {
            return null;
        }
        byte[] payload = new byte[length];
        datagram.get(datagram.position() + ChannelData.HEADER_LENGTH, payload);
        return new Forward(binding.peer, allocation.port, payload);
    }

    private void handleStun(ByteBuffer datagram, InetSocketAddress client, long now, long unixMillis) {
        switch (StunDecoder.decode(datagram)) {
            case StunDecodeResult.Malformed ignored -> { }
            case StunDecodeResult.BadAttribute bad -> respond(client, StunMessage.errorResponse(bad.method(),
                    bad.transactionId(), StunErrorCode.BAD_REQUEST).build(), null);
            case StunDecodeResult.Decoded decoded -> {
                StunMessage message = decoded.message();
                if (message.messageClass() != StunMessageClass.REQUEST) {
                    return;
                }
                switch (message.method()) {
                    case StunMethod.BINDING -> respond(client, StunMessage.successResponse(StunMethod.BINDING,
                            message.transactionId()).add(new StunAttribute.XorMappedAddress(client)).build(), null);
                    case StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CHANNEL_BIND, StunMethod.CREATE_PERMISSION ->
                            handleProtected(decoded.received(), client, now, unixMillis);
                    default -> respond(client, StunMessage.errorResponse(message.method(), message.transactionId(),
                            StunErrorCode.BAD_REQUEST).build(), null);
                }
            }
        }
    }

    // ---- Authenticated requests ----------------------------------------------------------------

    private void handleProtected(ReceivedStunMessage received, InetSocketAddress client, long now, long unixMillis) {
        StunMessage request = received.message();
        Optional<StunAttribute.Username> username = request.first(StunAttribute.Username.class);
        IntegrityKey key = null;
        if (username.isPresent()) {
            Optional<RelayUsername> parsed = RelayUsername.parse(username.get().value());
            if (parsed.isEmpty()) {
                return;
            }
            key = RelayCredentials.key(secret, parsed.get());
        }
        Optional<StunAttribute.Nonce> nonce = request.first(StunAttribute.Nonce.class);
        if (!received.hasMessageIntegrity() || username.isEmpty() || nonce.isEmpty()) {
            challenge(request, client, StunErrorCode.UNAUTHORIZED, key);
            return;
        }
        Integer uses = nonces.get(nonce.get().value());
        if (uses == null || uses == 0) {
            nonces.remove(nonce.get().value());
            challenge(request, client, StunErrorCode.STALE_NONCE, key);
            return;
        }
        nonces.put(nonce.get().value(), uses - 1);
        RelayUsername user = RelayUsername.parse(username.get().value()).orElseThrow();
        if (user.isExpiredAt(unixMillis / 1000) || !received.verifyMessageIntegrity(key)) {
            challenge(request, client, StunErrorCode.UNAUTHORIZED, key);
            return;
        }
        switch (request.method()) {
            case StunMethod.ALLOCATE -> allocate(request, client, key, now);
            case StunMethod.REFRESH -> refresh(request, client, key, now);
            case StunMethod.CHANNEL_BIND -> bindChannel(request, client, key, now);
            default -> respond(client, StunMessage.successResponse(request.method(), request.transactionId()).build(), key);
        }
    }

    private void allocate(StunMessage request, InetSocketAddress client, IntegrityKey key, long now) {
        if (allocations.containsKey(client)) {
            error(request, client, StunErrorCode.ALLOCATION_MISMATCH, key);
            return;
        }
        Optional<StunAttribute.RequestedTransport> transport = request.first(StunAttribute.RequestedTransport.class);
        if (transport.isEmpty()) {
            respond(client, StunMessage.errorResponse(request.method(), request.transactionId(), StunErrorCode.BAD_REQUEST).build(), null);
            return;
        }
        if (transport.get().protocol() != StunAttribute.RequestedTransport.UDP) {
            error(request, client, StunErrorCode.BAD_REQUEST, key);
            return;
        }
        Optional<AddressFamily> requested = request.first(StunAttribute.RequestedAddressFamily.class)
                .map(StunAttribute.RequestedAddressFamily::family);
        Optional<AddressFamily> additional = request.first(StunAttribute.AdditionalAddressFamily.class)
                .map(StunAttribute.AdditionalAddressFamily::family);
        if (requested.isPresent() && additional.isPresent() || additional.orElse(null) == AddressFamily.IPV4) {
            error(request, client, StunErrorCode.BAD_REQUEST, key);
            return;
        }
        boolean ipv4;
        boolean ipv6;
        if (requested.orElse(AddressFamily.IPV4) == AddressFamily.IPV4 && additional.isEmpty()) {
            ipv4 = true;
            ipv6 = false;
        } else if (requested.isPresent()) {
            ipv4 = false;
            ipv6 = true;
        } else {
            ipv4 = publicIp4 != null;
            ipv6 = publicIp6 != null;
        }
        if (ipv4 && publicIp4 == null || ipv6 && publicIp6 == null) {
            error(request, client, StunErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED, key);
            return;
        }
        int port = nextPort++;
        Allocation allocation = new Allocation(client, port, ipv4, ipv6);
        allocation.expiresAt = now + lifetime(request);
        allocations.put(client, allocation);
        byPort.put(port, allocation);
        StunMessage.Builder success = StunMessage.successResponse(request.method(), request.transactionId());
        if (ipv4) {
            events.add(new Event.AllocationCreated(port, AddressFamily.IPV4));
            success.add(new StunAttribute.XorRelayedAddress(new InetSocketAddress(publicIp4, port)));
        }
        if (ipv6) {
            events.add(new Event.AllocationCreated(port, AddressFamily.IPV6));
            success.add(new StunAttribute.XorRelayedAddress(new InetSocketAddress(publicIp6, port)));
        }
        success.add(new StunAttribute.XorMappedAddress(client))
                .add(new StunAttribute.Lifetime((allocation.expiresAt - now) / 1_000_000_000L));
        respond(client, success.build(), key);
    }

    private void refresh(StunMessage request, InetSocketAddress client, IntegrityKey key, long now) {
        Allocation allocation = allocations.get(client);
        if (allocation == null) {
            error(request, client, StunErrorCode.ALLOCATION_MISMATCH, key);
            return;
        }
        long lifetime = lifetime(request);
        if (lifetime == 0) {
            free(allocation);
        } else {
            allocation.expiresAt = now + lifetime;
        }
        respond(client, StunMessage.successResponse(request.method(), request.transactionId())
                .add(new StunAttribute.Lifetime(lifetime / 1_000_000_000L)).build(), key);
    }

    private void bindChannel(StunMessage request, InetSocketAddress client, IntegrityKey key, long now) {
        Optional<StunAttribute.ChannelNumber> number = request.first(StunAttribute.ChannelNumber.class);
        Optional<StunAttribute.XorPeerAddress> peer = request.first(StunAttribute.XorPeerAddress.class);
        if (number.isEmpty() || peer.isEmpty()) {
            respond(client, StunMessage.errorResponse(request.method(), request.transactionId(), StunErrorCode.BAD_REQUEST).build(), null);
            return;
        }
        Allocation allocation = allocations.get(client);
        if (allocation == null) {
            error(request, client, StunErrorCode.ALLOCATION_MISMATCH, key);
            return;
        }
        boolean peerIpv4 = peer.get().address().getAddress() instanceof Inet4Address;
        if (peerIpv4 ? !allocation.ipv4 : !allocation.ipv6) {
            error(request, client, StunErrorCode.PEER_ADDRESS_FAMILY_MISMATCH, key);
            return;
        }
        Binding byPeer = allocation.byPeer.get(peer.get().address());
        Binding byNumber = allocation.byNumber.get(number.get().number());
        if (byPeer != null && byPeer.number != number.get().number() || byNumber != null && !byNumber.peer.equals(peer.get().address())) {
            error(request, client, StunErrorCode.BAD_REQUEST, key);
            return;
        }
        Binding binding = byNumber != null ? byNumber : new Binding(number.get().number(), peer.get().address());
        binding.expiresAt = now + CHANNEL_LIFETIME;
        allocation.byNumber.put(binding.number, binding);
        allocation.byPeer.put(binding.peer, binding);
        respond(client, StunMessage.successResponse(request.method(), request.transactionId()).build(), key);
    }

    private static long lifetime(StunMessage request) {
        return request.first(StunAttribute.Lifetime.class)
                .map(l -> Math.min(Duration.ofSeconds(l.seconds()).toNanos(), MAX_LIFETIME))
                .orElse(DEFAULT_LIFETIME);
    }

    // ---- Time and output -----------------------------------------------------------------------

    public void handleTimeout(long now) {
        for (Allocation allocation : List.copyOf(allocations.values())) {
            if (allocation.expiresAt <= now) {
                free(allocation);
                continue;
            }
            Iterator<Binding> bindings = allocation.byNumber.values().iterator();
            while (bindings.hasNext()) {
                Binding binding = bindings.next();
                if (binding.expiresAt + CHANNEL_COOLDOWN <= now) {
                    bindings.remove();
                    allocation.byPeer.remove(binding.peer);
                }
            }
        }
    }

    public long pollTimeout() {
        long earliest = Long.MAX_VALUE;
        for (Allocation allocation : allocations.values()) {
            earliest = Math.min(earliest, allocation.expiresAt);
            for (Binding binding : allocation.byNumber.values()) {
                earliest = Math.min(earliest, binding.expiresAt + CHANNEL_COOLDOWN);
            }
        }
        return earliest;
    }

    public Transmit pollTransmit() {
        return transmits.poll();
    }

    public Event pollEvent() {
        return events.poll();
    }

    private void free(Allocation allocation) {
        allocations.remove(allocation.client);
        byPort.remove(allocation.port);
        if (allocation.ipv4) {
            events.add(new Event.AllocationFreed(allocation.port, AddressFamily.IPV4));
        }
        if (allocation.ipv6) {
            events.add(new Event.AllocationFreed(allocation.port, AddressFamily.IPV6));
        }
    }

    private void challenge(StunMessage request, InetSocketAddress client, int code, IntegrityKey key) {
        String nonce = new UUID(random.nextLong(), random.nextLong()).toString();
        nonces.put(nonce, NONCE_USES);
        respond(client, StunMessage.errorResponse(request.method(), request.transactionId(), code)
                .add(new StunAttribute.Realm(RelayCredentials.REALM))
                .add(new StunAttribute.Nonce(nonce)).build(), key);
    }

    private void error(StunMessage request, InetSocketAddress client, int code, IntegrityKey key) {
        respond(client, StunMessage.errorResponse(request.method(), request.transactionId(), code).build(), key);
    }

    private void respond(InetSocketAddress client, StunMessage response, IntegrityKey key) {
        byte[] bytes = key == null ? StunEncoder.encode(response) : StunEncoder.encode(response, MessageProtection.integrity(key));
        transmits.add(new Transmit(client, bytes));
    }
}

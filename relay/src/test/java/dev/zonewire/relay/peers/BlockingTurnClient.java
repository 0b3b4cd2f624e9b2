package dev.zonewire.relay.peers;

import dev.zonewire.common.Secret;
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

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A small blocking TURN client on the stun module, for tests against real servers (ours and
 * coturn) and for the benchmark's load generator. Long-term credentials: it learns realm and
 * nonce from the server's 401 and re-authenticates on 438, as RFC 8656 clients do.
 */
public final class BlockingTurnClient implements AutoCloseable {
    private static final int ATTEMPTS = 4;

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final String username;
    private final Secret password;
    private final SecureRandom random = new SecureRandom();
    private final byte[] receiveBuffer = new byte[65536];
    private String realm;
    private String nonce;
    private IntegrityKey key;

    public BlockingTurnClient(InetSocketAddress local, InetSocketAddress server, String username, Secret password)
            throws IOException {
        this.socket = new DatagramSocket(local);
        this.socket.setReceiveBufferSize(4 << 20);
        this.socket.setSendBufferSize(4 << 20);
        this.server = server;
        this.username = username;
        this.password = password;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** An Allocate success (or the final error), after authentication. */
    public StunMessage allocate(StunAttribute... extra) throws IOException {
        StunAttribute[] attributes = new StunAttribute[extra.length + 1];
        attributes[0] = new StunAttribute.RequestedTransport(StunAttribute.RequestedTransport.UDP);
        System.arraycopy(extra, 0, attributes, 1, extra.length);
        return authenticated(StunMethod.ALLOCATE, attributes);
    }

    public static List<InetSocketAddress> relayedAddresses(StunMessage allocateResponse) {
        return allocateResponse.all(StunAttribute.XorRelayedAddress.class).stream()
                .map(StunAttribute.XorRelayedAddress::address).toList();
    }

    public StunMessage bindChannel(int number, InetSocketAddress peer) throws IOException {
        return authenticated(StunMethod.CHANNEL_BIND, new StunAttribute.XorPeerAddress(peer),
                new StunAttribute.ChannelNumber(number));
    }

    public StunMessage createPermission(InetSocketAddress peer) throws IOException {
        return authenticated(StunMethod.CREATE_PERMISSION, new StunAttribute.XorPeerAddress(peer));
    }

    public StunMessage refresh(long lifetimeSeconds) throws IOException {
        return authenticated(StunMethod.REFRESH, new StunAttribute.Lifetime(lifetimeSeconds));
    }

    public StunMessage binding() throws IOException {
        return exchange(StunMessage.request(StunMethod.BINDING, TransactionId.random(random)).build(), MessageProtection.NONE);
    }

    public void sendChannelData(int channel, byte[] payload) throws IOException {
        byte[] frame = ChannelData.encode(channel, payload, false);
        socket.send(new DatagramPacket(frame, frame.length, server));
    }

    /** The next ChannelData frame from the server, skipping anything else; empty on timeout. */
    public Optional<ChannelData.Frame> receiveChannelData(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = receive(deadline);
            if (packet == null) {
                return Optional.empty();
            }
            Optional<ChannelData.Frame> frame = ChannelData.parse(Arrays.copyOf(packet.getData(), packet.getLength()));
            if (frame.isPresent()) {
                return frame;
            }
        }
        return Optional.empty();
    }

    public static boolean isSuccess(StunMessage response) {
        return response.messageClass() == StunMessageClass.SUCCESS_RESPONSE;
    }

    public static int errorCode(StunMessage response) {
        return response.first(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::code).orElse(0);
    }

    @Override
    public void close() {
        socket.close();
    }

    private StunMessage authenticated(int method, StunAttribute... attributes) throws IOException {
        StunMessage response = null;
        for (int round = 0; round < 3; round++) {
            StunMessage.Builder request = StunMessage.request(method, TransactionId.random(random));
            for (StunAttribute attribute : attributes) {
                request.add(attribute);
            }
            request.add(new StunAttribute.Username(username));
            if (realm != null) {
                request.add(new StunAttribute.Realm(realm)).add(new StunAttribute.Nonce(nonce));
            }
            boolean sentCredentials = key != null;
            response = exchange(request.build(), sentCredentials ? MessageProtection.integrity(key) : MessageProtection.NONE);
            int code = errorCode(response);
            Optional<String> newNonce = response.first(StunAttribute.Nonce.class).map(StunAttribute.Nonce::value);
            boolean challenge = code == StunErrorCode.STALE_NONCE || (code == StunErrorCode.UNAUTHORIZED && !sentCredentials);
            if (!challenge || newNonce.isEmpty()) {
                return response;
            }
            realm = response.first(StunAttribute.Realm.class).map(StunAttribute.Realm::value).orElse(realm);
            nonce = newNonce.get();
            key = IntegrityKey.longTerm(username, realm, password);
        }
        return response;
    }

    private StunMessage exchange(StunMessage request, MessageProtection protection) throws IOException {
        byte[] bytes = StunEncoder.encode(request, protection);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            socket.send(new DatagramPacket(bytes, bytes.length, server));
            long deadline = System.nanoTime() + Duration.ofMillis(500L << attempt).toNanos();
            DatagramPacket packet;
            while ((packet = receive(deadline)) != null) {
                StunDecodeResult result = StunDecoder.decode(Arrays.copyOf(packet.getData(), packet.getLength()));
                if (result instanceof StunDecodeResult.Decoded decoded
                        && decoded.message().transactionId().equals(request.transactionId())) {
                    return accepted(decoded.received());
                }
            }
        }
        throw new SocketTimeoutException("no answer from " + server + " to " + StunMethod.name(request.method()));
    }

    private StunMessage accepted(ReceivedStunMessage response) throws IOException {
        if (response.hasMessageIntegrity() && key != null && !response.verifyMessageIntegrity(key)
                && errorCode(response.message()) != StunErrorCode.UNAUTHORIZED) {
            throw new IOException("response integrity does not verify");
        }
        return response.message();
    }

    private DatagramPacket receive(long deadlineNanos) throws IOException {
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            return null;
        }
        socket.setSoTimeout((int) Math.max(1, remainingMillis));
        DatagramPacket packet = new DatagramPacket(receiveBuffer, receiveBuffer.length);
        try {
            socket.receive(packet);
            return packet;
        } catch (SocketTimeoutException timeout) {
            return null;
        }
    }
}

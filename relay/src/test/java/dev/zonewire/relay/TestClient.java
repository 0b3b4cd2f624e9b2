package dev.zonewire.relay;

import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunDecodeResult;
import dev.zonewire.stun.StunDecoder;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A TURN client talking to a {@link TestRelay} in-process, the way snownet does. */
final class TestClient {
    private final TestRelay relay;
    final InetSocketAddress address;
    final RelayCredentials.Issued credentials;
    private final Random random = new Random(7);
    String nonce;

    TestClient(TestRelay relay, InetSocketAddress address, RelayCredentials.Issued credentials) {
        this.relay = relay;
        this.address = address;
        this.credentials = credentials;
    }

    IntegrityKey key() {
        return credentials.key();
    }

    /** Sends an authenticated request (fetching a nonce first if needed) and returns the verified response. */
    StunMessage request(int method, StunAttribute... attributes) {
        if (nonce == null) {
            fetchNonce();
        }
        return exchange(signed(method, TransactionId.random(random), attributes));
    }

    StunMessage allocate(StunAttribute... extra) {
        StunAttribute[] attributes = new StunAttribute[extra.length + 1];
        attributes[0] = new StunAttribute.RequestedTransport(17);
        System.arraycopy(extra, 0, attributes, 1, extra.length);
        return request(StunMethod.ALLOCATE, attributes);
    }

    StunMessage bindChannel(int number, InetSocketAddress peer) {
        return request(StunMethod.CHANNEL_BIND, new StunAttribute.XorPeerAddress(peer), new StunAttribute.ChannelNumber(number));
    }

    /** Sends the first, nonce-less Allocate snownet sends and keeps the nonce of the signed 401. */
    void fetchNonce() {
        StunMessage challenge = exchange(StunMessage.request(StunMethod.ALLOCATE, TransactionId.random(random))
                .add(new StunAttribute.RequestedTransport(17))
                .add(new StunAttribute.Username(credentials.username().toString()))
                .add(new StunAttribute.Realm(RelayCredentials.REALM))
                .build(), MessageProtection.integrity(key()));
        nonce = challenge.first(StunAttribute.Nonce.class).orElseThrow().value();
    }

    StunMessage signed(int method, TransactionId id, StunAttribute... attributes) {
        StunMessage.Builder builder = StunMessage.request(method, id);
        for (StunAttribute attribute : attributes) {
            builder.add(attribute);
        }
        return builder.add(new StunAttribute.Username(credentials.username().toString()))
                .add(new StunAttribute.Realm(RelayCredentials.REALM))
                .add(new StunAttribute.Nonce(nonce))
                .build();
    }

    StunMessage exchange(StunMessage request) {
        return exchange(request, MessageProtection.integrity(key()));
    }

    /** Sends a request and returns the single response, checking it is addressed to us and signed with our key. */
    StunMessage exchange(StunMessage request, MessageProtection protection) {
        ReceivedStunMessage response = exchangeRaw(StunEncoder.encode(request, protection));
        assertThat(response.verifyMessageIntegrity(key())).as("response signed with our key").isTrue();
        assertThat(response.message().transactionId()).isEqualTo(request.transactionId());
        return response.message();
    }

    ReceivedStunMessage exchangeRaw(byte[] datagram) {
        assertThat(relay.fromClient(datagram, address)).isNull();
        List<Transmit> transmits = relay.transmits();
        assertThat(transmits).hasSize(1);
        assertThat(transmits.getFirst().destination()).isEqualTo(address);
        return decode(transmits.getFirst().payload());
    }

    static ReceivedStunMessage decode(byte[] bytes) {
        StunDecodeResult result = StunDecoder.decode(bytes);
        assertThat(result).isInstanceOf(StunDecodeResult.Decoded.class);
        return ((StunDecodeResult.Decoded) result).received();
    }
}

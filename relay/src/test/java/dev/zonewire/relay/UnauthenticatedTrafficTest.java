package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing a client without valid credentials sends can make the relay keep state. */
class UnauthenticatedTrafficTest {

    @Property(tries = 200)
    void noSequenceOfUnauthenticatedDatagramsCreatesState(@ForAll("datagrams") List<byte[]> datagrams) {
        TestRelay relay = TestRelay.dualStack();
        InetSocketAddress client = TestRelay.socket("198.51.100.20:40000");

        for (byte[] datagram : datagrams) {
            relay.fromClient(datagram, client);
            relay.fromPeer(datagram, client, 50000);
            relay.transmits();
        }

        assertThat(relay.server.allocationCount()).isZero();
        assertThat(relay.server.stats().trackedNonces()).isZero();
        assertThat(relay.events()).isEmpty();
        assertThat(relay.server.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<List<byte[]>> datagrams() {
        Arbitrary<byte[]> noise = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> channelData = Combinators.combine(Arbitraries.integers().between(0x4000, 0x4FFF),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64)).as((n, p) -> ChannelData.encode(n, p, false));
        Arbitrary<byte[]> requests = Combinators.combine(
                Arbitraries.of(StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CHANNEL_BIND, StunMethod.CREATE_PERMISSION,
                        StunMethod.BINDING, StunMethod.SEND),
                Arbitraries.of("1735689600:salt", "foobar", "99999999999:x"),
                Arbitraries.of("00000000-0000-0000-0000-000000000000", "junk", "5b1e8f8a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"),
                Arbitraries.longs()).as(UnauthenticatedTrafficTest::request);
        return Arbitraries.oneOf(noise, channelData, requests).list().ofMaxSize(30);
    }

    private static byte[] request(int method, String username, String nonce, long id) {
        StunMessage message = StunMessage.request(method, new TransactionId((int) id, id))
                .add(new StunAttribute.RequestedTransport(17))
                .add(new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6))
                .add(new StunAttribute.XorPeerAddress(TestRelay.socket("192.0.2.1:1")))
                .add(new StunAttribute.ChannelNumber(0x4000))
                .add(new StunAttribute.Username(username))
                .add(new StunAttribute.Realm("firezone"))
                .add(new StunAttribute.Nonce(nonce))
                .add(new StunAttribute.MessageIntegrity(new byte[20]))
                .build();
        return StunEncoder.encode(message);
    }
}

package dev.zonewire.relay;

import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.HexFormat;

import static dev.zonewire.relay.TestRelay.socket;
import static org.assertj.core.api.Assertions.assertThat;

class BindingTest {
    private final TestRelay relay = TestRelay.dualStack();

    @Test
    void bindingFromAnIpv4SourceGetsItsAddressBackAsTheReferenceEncodesIt() {
        InetSocketAddress client = socket("198.51.100.20:40000");

        relay.fromClient(HexFormat.of().parseHex("000100002112a442a1a2a3a4a5a6a7a8a9aaabac"), client);

        assertThat(relay.transmits()).singleElement().satisfies(t -> {
            assertThat(t.destination()).isEqualTo(client);
            assertThat(HexFormat.of().formatHex(t.payload()))
                    .isEqualTo("0101000c2112a442a1a2a3a4a5a6a7a8a9aaabac002000080001bd52e721c056");
        });
        assertThat(relay.events()).isEmpty();
    }

    @Test
    void bindingFromAnIpv6SourceGetsItsAddressBack() {
        InetSocketAddress client = socket("[2001:db8::99]:5000");
        StunMessage request = StunMessage.request(StunMethod.BINDING, TransactionId.ofHex("000102030405060708090a0b"))
                .add(new StunAttribute.Software("snownet; session=AB")).build();

        relay.fromClient(StunEncoder.encode(request), client);

        StunMessage response = TestClient.decode(relay.transmits().getFirst().payload()).message();
        assertThat(response.attributes()).containsExactly(new StunAttribute.XorMappedAddress(client));
    }

    @Test
    void bindingWithAFingerprintIsAnsweredWithOne() {
        StunMessage request = StunMessage.request(StunMethod.BINDING, TransactionId.ofHex("000102030405060708090a0b")).build();

        relay.fromClient(StunEncoder.encode(request, dev.zonewire.stun.MessageProtection.fingerprintOnly()), socket("192.0.2.1:1"));

        assertThat(TestClient.decode(relay.transmits().getFirst().payload()).verifyFingerprint()).isTrue();
    }

    @Test
    void bindingWithAnUnknownComprehensionRequiredAttributeGets420() {
        StunMessage request = StunMessage.request(StunMethod.BINDING, TransactionId.ofHex("000102030405060708090a0b"))
                .add(new StunAttribute.Unknown(0x0003, new byte[4])).build();

        relay.fromClient(StunEncoder.encode(request), socket("192.0.2.1:1"));

        StunMessage response = TestClient.decode(relay.transmits().getFirst().payload()).message();
        StunResponses.assertError(response, 420);
        assertThat(response.first(StunAttribute.UnknownAttributes.class)).contains(
                new StunAttribute.UnknownAttributes(java.util.List.of(0x0003)));
    }

    @Test
    void classicRfc3489BindingIsAnsweredWithMappedAddress() {
        byte[] request = HexFormat.of().parseHex("0001000801e03461a7210061a0d1bc0bc8bb4d1d0003000400000000");

        relay.fromClient(request, socket("127.0.0.1:20455"));

        assertThat(HexFormat.of().formatHex(relay.transmits().getFirst().payload()))
                .isEqualTo("0101000c01e03461a7210061a0d1bc0bc8bb4d1d" + "000100080001" + "4fe7" + "7f000001");
    }

    @Test
    void classicBindingAskingForAnotherAddressIsNotAnswered() {
        byte[] request = HexFormat.of().parseHex("0001000801e03461a7210061a0d1bc0bc8bb4d1d0003000400000006");

        relay.fromClient(request, socket("127.0.0.1:20455"));

        assertThat(relay.transmits()).isEmpty();
        assertThat(relay.server.stats().drops().get(DropReason.CLASSIC_CHANGE_REQUEST)).isEqualTo(1);
    }

    @Test
    void bindingIndicationsAndResponsesAreDroppedSilently() {
        relay.fromClient(StunEncoder.encode(StunMessage.indication(StunMethod.BINDING, TransactionId.ofHex("000102030405060708090a0b")).build()),
                socket("192.0.2.1:1"));
        relay.fromClient(StunEncoder.encode(StunMessage.successResponse(StunMethod.BINDING, TransactionId.ofHex("000102030405060708090a0b")).build()),
                socket("192.0.2.1:1"));

        assertThat(relay.transmits()).isEmpty();
        assertThat(relay.server.stats().drops().get(DropReason.UNEXPECTED_INDICATION)).isEqualTo(1);
        assertThat(relay.server.stats().drops().get(DropReason.UNEXPECTED_RESPONSE)).isEqualTo(1);
    }
}

package dev.zonewire.relay;

import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static dev.zonewire.relay.StunResponses.assertError;
import static dev.zonewire.relay.TestRelay.socket;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad bytes are answered where the spec says so, and otherwise counted and dropped. */
class MalformedInputTest {
    private final TestRelay relay = TestRelay.dualStack();
    private final TestClient client = relay.client("198.51.100.20:40000");

    @Test
    void requestWithAnUndecodableAttributeGetsAnUnsigned400() {
        byte[] request = HexFormat.of().parseHex("000900082112a442a1a2a3a4a5a6a7a8a9aaabac000c000480000000");

        ReceivedStunMessage response = client.exchangeRaw(request);

        assertError(response.message(), 400);
        assertThat(response.message().method()).isEqualTo(StunMethod.CHANNEL_BIND);
        assertThat(response.hasMessageIntegrity()).isFalse();
    }

    @Test
    void indicationWithAnUndecodableAttributeIsDroppedNotAnswered() {
        byte[] indication = HexFormat.of().parseHex("001900082112a442a1a2a3a4a5a6a7a8a9aaabac000c000480000000");

        relay.fromClient(indication, client.address);

        assertThat(relay.transmits()).isEmpty();
        assertThat(relay.server.stats().drops().get(DropReason.MALFORMED_STUN)).isEqualTo(1);
    }

    @Test
    void unsupportedMethodsGetAnUnsigned400() {
        for (int method : new int[]{StunMethod.SEND, StunMethod.DATA, 0x00A}) {
            ReceivedStunMessage response = client.exchangeRaw(StunEncoder.encode(
                    StunMessage.request(method, TransactionId.ofHex("a1a2a3a4a5a6a7a8a9aaabac")).build()));

            assertError(response.message(), 400);
        }
    }

    @Test
    void sendIndicationsAreDroppedSilently() {
        relay.fromClient(StunEncoder.encode(StunMessage.indication(StunMethod.SEND, TransactionId.ofHex("a1a2a3a4a5a6a7a8a9aaabac"))
                .add(new StunAttribute.XorPeerAddress(socket("192.0.2.1:1"))).add(new StunAttribute.Data(new byte[4])).build()),
                client.address);

        assertThat(relay.transmits()).isEmpty();
    }

    @Test
    void authenticatedRequestWithAnUnknownComprehensionRequiredAttributeGetsASigned420() {
        StunMessage response = client.allocate(new StunAttribute.Unknown(0x001A, new byte[0]));

        assertError(response, 420);
        assertThat(response.first(StunAttribute.UnknownAttributes.class))
                .contains(new StunAttribute.UnknownAttributes(java.util.List.of(0x001A)));
        assertThat(relay.server.allocationCount()).isZero();
    }

    @Test
    void unknownComprehensionOptionalAttributesAreIgnored() {
        StunMessage response = client.allocate(new StunAttribute.Unknown(0xC057, new byte[4]));

        StunResponses.assertSuccess(response);
    }

    @Test
    void requestWithAWrongFingerprintIsDropped() {
        byte[] request = StunEncoder.encode(StunMessage.request(StunMethod.BINDING, TransactionId.ofHex("a1a2a3a4a5a6a7a8a9aaabac")).build(),
                MessageProtection.fingerprintOnly());
        request[request.length - 1] ^= 1;

        relay.fromClient(request, client.address);

        assertThat(relay.transmits()).isEmpty();
        assertThat(relay.server.stats().drops().get(DropReason.BAD_FINGERPRINT)).isEqualTo(1);
    }

    @Test
    void truncatedStunAndForeignBytesAreCountedAndDropped() {
        relay.fromClient(HexFormat.of().parseHex("000100002112a442a1a2"), client.address);
        relay.fromClient(HexFormat.of().parseHex("000100002112a442a1a2a3a4a5a6a7a8a9aaabac00"), client.address);
        relay.fromClient(HexFormat.of().parseHex("ff00"), client.address);
        relay.fromClient(new byte[0], client.address);

        assertThat(relay.transmits()).isEmpty();
        var drops = relay.server.stats().drops();
        assertThat(drops.get(DropReason.MALFORMED_STUN)).isEqualTo(2);
        assertThat(drops.get(DropReason.NOT_STUN_OR_CHANNEL_DATA)).isEqualTo(1);
        assertThat(drops.get(DropReason.EMPTY)).isEqualTo(1);
    }
}

package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The Firezone p2p-control packet of tunnel.md 4.10, byte for byte. */
class P2pControlTest {

    private static final String DOMAIN_STATUS_JSON =
            "{\"resource\":\"0c0bd4c0-4a8a-4d4d-a1e8-4a9f2a9c9a11\",\"domain\":\"app.example.com\",\"status\":\"Active\"}";

    @Test
    void aDomainStatusPacketIsIpv6From255ToUnspecifiedWithAnEightByteHeader() {
        ByteBuffer buffer = TestPackets.buffer();

        int length = PacketBuilder.p2pControl(buffer, 0, P2pControlMessage.DOMAIN_STATUS, TestPackets.payload(DOMAIN_STATUS_JSON));

        int payloadLength = 8 + DOMAIN_STATUS_JSON.length();
        String expectedHeaders = "60000000" + "%04x".formatted(payloadLength) + "ff" + "00" + "00".repeat(32) + "0100000000000000";
        assertThat(length).isEqualTo(40 + payloadLength);
        assertThat(HexFormat.of().formatHex(TestPackets.bytes(buffer, 0, 48))).isEqualTo(expectedHeaders);
        assertThat(new String(TestPackets.bytes(buffer, 48, DOMAIN_STATUS_JSON.length()), StandardCharsets.UTF_8))
                .isEqualTo(DOMAIN_STATUS_JSON);
    }

    @Test
    void aParsedControlPacketExposesItsEventTypeAndJsonBody() {
        ByteBuffer buffer = TestPackets.buffer();
        int length = PacketBuilder.p2pControl(buffer, TestPackets.HEADROOM, P2pControlMessage.ASSIGNED_IPS, TestPackets.payload("{}"));
        IpPacket packet = new IpPacket(IpPacket.TUNNEL_MTU);

        assertThat(packet.wrap(buffer, TestPackets.HEADROOM, length)).isEqualTo(PacketStatus.VALID);

        assertThat(packet.isP2pControl()).isTrue();
        assertThat(packet.p2pControl().eventType()).isEqualTo(P2pControlMessage.ASSIGNED_IPS);
        assertThat(packet.p2pControl().bodyLength()).isEqualTo(2);
        assertThat(buffer.get(packet.p2pControl().bodyIndex())).isEqualTo((byte) '{');
        assertThat(packet.flowProtocol()).isEqualTo(FlowProtocol.UNSUPPORTED);
    }
}

package dev.zonewire.tunnel.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.tunnel.messages.Decoded;
import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ControlCodecTest {
    private static final UUID RESOURCE = UUID.fromString("619fbe83-bc95-4635-9a08-68da9a944c88");
    private static final List<InetAddress> PROXIES = List.of("100.96.0.1", "100.96.0.2", "100.96.0.3", "100.96.0.4",
            "fd00:2021:1111:8000::", "fd00:2021:1111:8000::1", "fd00:2021:1111:8000::2", "fd00:2021:1111:8000::3")
            .stream().map(IpLiterals::parse).toList();

    @Test
    void assignedIpsCarryTypeZeroInAnEightByteHeaderThenJson() {
        byte[] payload = ControlCodec.encode(new ControlEvent.AssignedIps(RESOURCE, "app.example.com", PROXIES));

        assertThat(Arrays.copyOf(payload, 8)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8)).isEqualTo(
                "{\"resource\":\"619fbe83-bc95-4635-9a08-68da9a944c88\",\"domain\":\"app.example.com\",\"proxy_ips\":"
                        + "[\"100.96.0.1\",\"100.96.0.2\",\"100.96.0.3\",\"100.96.0.4\",\"fd00:2021:1111:8000::\","
                        + "\"fd00:2021:1111:8000::1\",\"fd00:2021:1111:8000::2\",\"fd00:2021:1111:8000::3\"]}");
    }

    @Test
    void bothEventsSurviveEncodingAndDecoding() {
        var assigned = new ControlEvent.AssignedIps(RESOURCE, "app.example.com", PROXIES);
        var status = new ControlEvent.DomainStatus(RESOURCE, "app.example.com", ControlEvent.NatStatus.ACTIVE);

        assertThat(ControlCodec.decode(ControlCodec.encode(assigned))).isEqualTo(new Decoded.Message<>(assigned));
        assertThat(ControlCodec.decode(ControlCodec.encode(status))).isEqualTo(new Decoded.Message<>(status));
    }

    @Test
    void anUnknownStatusReadsAsInactive() {
        byte[] body = "{\"resource\":\"619fbe83-bc95-4635-9a08-68da9a944c88\",\"domain\":\"a.b\",\"status\":\"Pending\"}".getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[8 + body.length];
        payload[0] = 1;
        System.arraycopy(body, 0, payload, 8, body.length);

        assertThat(ControlCodec.decode(payload))
                .isEqualTo(new Decoded.Message<>(new ControlEvent.DomainStatus(RESOURCE, "a.b", ControlEvent.NatStatus.INACTIVE)));
    }

    @Test
    void theReferencesLongestNameWithLoopbackAddressesMakesA402ByteBody() {
        String longestName = ("a".repeat(49) + ".").repeat(5) + "com";
        List<InetAddress> loopbacks = List.of("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1", "::1", "::1", "::1", "::1")
                .stream().map(IpLiterals::parse).toList();

        byte[] payload = ControlCodec.encode(new ControlEvent.AssignedIps(UUID.fromString("00000000-0000-0000-0000-000000000064"), longestName, loopbacks));

        assertThat(payload.length - ControlCodec.HEADER_LENGTH).isEqualTo(402);
    }

    @Test
    void theLongestPossibleAssignedIpsBodyFitsWellInOnePacket() {
        String longestName = ("a".repeat(49) + ".").repeat(5) + "com";
        List<InetAddress> longest = List.of("255.255.255.255", "255.255.255.255", "255.255.255.255", "255.255.255.255",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").stream().map(IpLiterals::parse).toList();

        byte[] payload = ControlCodec.encode(new ControlEvent.AssignedIps(RESOURCE, longestName, longest));

        assertThat(payload.length - ControlCodec.HEADER_LENGTH).isEqualTo(ControlCodec.MAX_BODY_LENGTH);
    }

    @Test
    void assignedIpsMustCarryEightAddressesToBeSent() {
        assertThatThrownBy(() -> ControlCodec.encode(new ControlEvent.AssignedIps(RESOURCE, "a.b", PROXIES.subList(0, 4))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShortOrUnknownPayloadIsReportedNotThrown() {
        assertThat(ControlCodec.decode(new byte[3])).isInstanceOf(Decoded.Malformed.class);
        assertThat(ControlCodec.decode(new byte[] {7, 0, 0, 0, 0, 0, 0, 0})).isInstanceOf(Decoded.UnknownEvent.class);
        assertThat(ControlCodec.decode(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, '[', ']'})).isInstanceOf(Decoded.Malformed.class);
    }
}

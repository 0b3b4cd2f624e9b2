package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Address values convert to and from text and InetAddress. */
class IpAddressTest {

    @Test
    void ipv6AddressesPrintInTheRfc5952Form() {
        assertThat(Ipv6Address.parse("fd00:2021:1111:8000:0:0:0:0")).hasToString("fd00:2021:1111:8000::");
        assertThat(Ipv6Address.parse("2001:db8:0:0:1:0:0:1")).hasToString("2001:db8::1:0:0:1");
        assertThat(Ipv6Address.parse("2001:db8:0:1:1:1:1:1")).hasToString("2001:db8:0:1:1:1:1:1");
        assertThat(Ipv6Address.parse("::")).hasToString("::");
        assertThat(Ipv6Address.parse("::1")).hasToString("::1");
        assertThat(Ipv6Address.parse("FD00:2021:1111:8000:100:100:111:0")).hasToString("fd00:2021:1111:8000:100:100:111:0");
    }

    @Test
    void ipv4AddressesKeepTheFirstOctetInTheHighByte() {
        Ipv4Address address = Ipv4Address.parse("100.96.0.1");

        assertThat(address.bits()).isEqualTo(0x64600001);
        assertThat(address).hasToString("100.96.0.1").isEqualTo(Ipv4Address.of(100, 96, 0, 1));
    }

    @Test
    void addressesConvertToAndFromInetAddress() throws Exception {
        for (String literal : new String[] {"255.255.255.255", "10.0.0.1", "fd00:2021:1111::1", "ff02::16"}) {
            InetAddress inet = InetAddress.ofLiteral(literal);

            assertThat(IpAddress.of(inet).toInetAddress()).isEqualTo(inet);
            assertThat(IpAddress.parse(literal)).isEqualTo(IpAddress.of(inet));
        }
    }

    @Test
    void octetsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> Ipv4Address.of(256, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}

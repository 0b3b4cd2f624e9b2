package dev.zonewire.tunnel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.messages.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterEngineTest {

    @Test
    void anEmptyFilterListPermitsEveryProtocolAndPort() {
        FilterEngine engine = FilterEngine.of(List.of(List.of()));

        assertThat(engine.allows(TransportProtocol.TCP, 22)).isTrue();
        assertThat(engine.allows(TransportProtocol.UDP, 53)).isTrue();
        assertThat(engine.allows(TransportProtocol.ICMP_ECHO, 0)).isTrue();
        assertThat(engine.allows(TransportProtocol.OTHER, 0)).isTrue();
    }

    @Test
    void theSpecsHttpbinFiltersLetThroughExactlyTheirPortsAndIcmp() {
        // The legacy request_connection fixture: tcp 80, tcp 433, udp 53, icmp.
        FilterEngine engine = FilterEngine.of(List.of(List.of(new Filter.Tcp(80, 80), new Filter.Tcp(433, 433), new Filter.Udp(53, 53), new Filter.Icmp())));

        assertThat(engine.allows(TransportProtocol.TCP, 80)).isTrue();
        assertThat(engine.allows(TransportProtocol.TCP, 433)).isTrue();
        assertThat(engine.allows(TransportProtocol.TCP, 443)).isFalse();
        assertThat(engine.allows(TransportProtocol.UDP, 53)).isTrue();
        assertThat(engine.allows(TransportProtocol.UDP, 80)).isFalse();
        assertThat(engine.allows(TransportProtocol.ICMP_ECHO, 7)).isTrue();
        assertThat(engine.allows(TransportProtocol.ICMP_OTHER, 0)).isTrue();
        assertThat(engine.allows(TransportProtocol.OTHER, 0)).isFalse();
    }

    @Test
    void aUdpRangeIncludesBothEnds() {
        FilterEngine engine = FilterEngine.of(List.of(List.of(new Filter.Udp(100, 200))));

        assertThat(engine.allows(TransportProtocol.UDP, 99)).isFalse();
        assertThat(engine.allows(TransportProtocol.UDP, 100)).isTrue();
        assertThat(engine.allows(TransportProtocol.UDP, 200)).isTrue();
        assertThat(engine.allows(TransportProtocol.UDP, 201)).isFalse();
        assertThat(engine.allows(TransportProtocol.TCP, 150)).isFalse();
    }

    @Test
    void withoutAnIcmpFilterIcmpIsDenied() {
        FilterEngine engine = FilterEngine.of(List.of(List.of(new Filter.Tcp(0, 65535))));

        assertThat(engine.allows(TransportProtocol.ICMP_ECHO, 1)).isFalse();
    }

    @Test
    void filtersOfSeveralResourcesAddUp() {
        FilterEngine engine = FilterEngine.of(List.of(List.of(new Filter.Tcp(80, 80)), List.of(new Filter.Tcp(81, 90), new Filter.Icmp())));

        assertThat(engine.allows(TransportProtocol.TCP, 80)).isTrue();
        assertThat(engine.allows(TransportProtocol.TCP, 85)).isTrue();
        assertThat(engine.allows(TransportProtocol.TCP, 91)).isFalse();
        assertThat(engine.allows(TransportProtocol.ICMP_ECHO, 0)).isTrue();
    }

    @Test
    void oneResourceWithoutFiltersOpensTheKeyForAll() {
        FilterEngine engine = FilterEngine.of(List.of(List.of(new Filter.Tcp(80, 80)), List.of()));

        assertThat(engine.allows(TransportProtocol.UDP, 9999)).isTrue();
    }

    @Test
    void aRangeWhoseStartLiesAfterItsEndMatchesNoPort() {
        FilterEngine engine = FilterEngine.of(List.of(List.of(new Filter.Tcp(200, 100))));

        assertThat(engine.allows(TransportProtocol.TCP, 150)).isFalse();
        assertThat(engine.allows(TransportProtocol.TCP, 100)).isFalse();
    }
}

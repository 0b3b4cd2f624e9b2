package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class CandidateTest {
    private static final InetSocketAddress V4 = address("192.0.2.10", 5000);
    private static final InetSocketAddress V6 = address("2001:db8::10", 5000);
    private static final InetSocketAddress BASE = address("10.0.0.10", 5000);

    @Test
    void prioritiesMatchTheValuesTheReferenceSignals() {
        assertThat(Candidate.host(V4).priority()).isEqualTo(2130706175L);
        assertThat(Candidate.host(V6).priority()).isEqualTo(2130706431L);
        assertThat(Candidate.serverReflexive(V4, BASE).priority()).isEqualTo(1694498559L);
        assertThat(Candidate.serverReflexive(V6, BASE).priority()).isEqualTo(1694498815L);
        assertThat(Candidate.relayed(V4).priority()).isEqualTo(50331391L);
        assertThat(Candidate.relayed(V6).priority()).isEqualTo(50331647L);
    }

    @Test
    void theSdpStringHasNoRelatedAddressAndNoUfrag() {
        Candidate candidate = Candidate.serverReflexive(V4, BASE);

        assertThat(candidate.toSdp()).isEqualTo("candidate:" + candidate.foundation()
                + " 1 udp 1694498559 192.0.2.10 5000 typ srflx");
    }

    @Test
    void anIpv6AddressIsWrittenInItsCompressedForm() {
        assertThat(Candidate.relayed(V6).toSdp()).endsWith(" 1 udp 50331647 2001:db8:0:0:0:0:0:10 5000 typ relay");
    }

    @Test
    void candidatesOfTheSameKindAndBaseShareAFoundation() {
        Candidate one = Candidate.serverReflexive(address("192.0.2.10", 1), BASE);
        Candidate other = Candidate.serverReflexive(address("192.0.2.99", 2), BASE);
        Candidate host = Candidate.host(BASE);

        assertThat(one.foundation()).isEqualTo(other.foundation()).isNotEqualTo(host.foundation());
    }

    @Test
    void aCandidateNeedsARealPort() {
        assertThatThrownBy(() -> Candidate.host(address("192.0.2.10", 0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePeerReflexiveTypeRanksBetweenHostAndServerReflexive() {
        assertThat(Candidate.Kind.HOST.typePreference()).isGreaterThan(Candidate.Kind.PEER_REFLEXIVE.typePreference());
        assertThat(Candidate.Kind.PEER_REFLEXIVE.typePreference()).isGreaterThan(Candidate.Kind.SERVER_REFLEXIVE.typePreference());
        assertThat(Candidate.Kind.SERVER_REFLEXIVE.typePreference()).isGreaterThan(Candidate.Kind.RELAYED.typePreference());
    }
}

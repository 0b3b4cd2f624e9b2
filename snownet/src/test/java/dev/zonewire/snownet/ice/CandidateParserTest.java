package dev.zonewire.snownet.ice;

import static dev.zonewire.snownet.ice.AgentPair.address;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandidateParserTest {

    @Test
    void readsAServerReflexiveCandidateAsTheReferenceWritesIt() {
        CandidateParser.Result result = CandidateParser.parse("candidate:7d2f1c0a 1 udp 1694498559 198.51.100.2 40003 typ srflx");

        assertThat(result).isEqualTo(new CandidateParser.Parsed(new Candidate(Candidate.Kind.SERVER_REFLEXIVE,
                address("198.51.100.2", 40003), address("198.51.100.2", 40003), 1694498559L, "7d2f1c0a")));
    }

    @Test
    void readsAndIgnoresRelatedAddressAndExtensionPairs() {
        CandidateParser.Result result = CandidateParser.parse("a=candidate:1 1 UDP 50331391 198.51.100.101 49152 typ relay"
                + " raddr 0.0.0.0 rport 0 generation 0 ufrag abcd network-id 1 network-cost 10");

        assertThat(result).isInstanceOfSatisfying(CandidateParser.Parsed.class, parsed -> {
            assertThat(parsed.candidate().kind()).isEqualTo(Candidate.Kind.RELAYED);
            assertThat(parsed.candidate().address()).isEqualTo(address("198.51.100.101", 49152));
        });
    }

    @Test
    void readsIpv6Candidates() {
        CandidateParser.Result result = CandidateParser.parse("candidate:abc 1 udp 2130706431 fd10:0:1::100 5000 typ host");

        assertThat(result).isInstanceOfSatisfying(CandidateParser.Parsed.class,
                parsed -> assertThat(parsed.candidate().address()).isEqualTo(address("fd10:0:1::100", 5000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "candidate:",
            "foundation 1 udp 1 1.2.3.4 5 typ host",
            "candidate:1 2 udp 1 1.2.3.4 5 typ host",
            "candidate:1 1 tcp 1 1.2.3.4 5 typ host tcptype passive",
            "candidate:1 1 udp -1 1.2.3.4 5 typ host",
            "candidate:1 1 udp 4294967296 1.2.3.4 5 typ host",
            "candidate:1 1 udp 1 example.com 5 typ host",
            "candidate:1 1 udp 1 a1b2c3d4-e5f6.local 5 typ host",
            "candidate:1 1 udp 1 0.0.0.0 5 typ host",
            "candidate:1 1 udp 1 224.0.0.1 5 typ host",
            "candidate:1 1 udp 1 fe80::1%eth0 5 typ host",
            "candidate:1 1 udp 1 1.2.3.4 0 typ host",
            "candidate:1 1 udp 1 1.2.3.4 65536 typ host",
            "candidate:1 1 udp 1 1.2.3.4 5 type host",
            "candidate:1 1 udp 1 1.2.3.4 5 typ nat",
            "candidate:1 1 udp 1 1.2.3.4 5 typ host generation",
            "candidate:f\u00f6\u00f6 1 udp 1 1.2.3.4 5 typ host",
    })
    void refusesWhatIsNotAUsableUdpCandidate(String line) {
        assertThat(CandidateParser.parse(line)).isInstanceOf(CandidateParser.Rejected.class);
    }

    @Test
    void refusesOverlongInputWithoutSplittingIt() {
        assertThat(CandidateParser.parse("candidate:1 1 udp 1 1.2.3.4 5 typ host" + " x y".repeat(1000)))
                .isInstanceOf(CandidateParser.Rejected.class);
    }

    @Property
    void everyCandidateWeWriteReadsBackAsItself(@ForAll("candidates") Candidate candidate) {
        Candidate asPeerSeesIt = new Candidate(candidate.kind(), candidate.address(), candidate.address(),
                candidate.priority(), candidate.foundation());

        assertThat(CandidateParser.parse(candidate.toSdp())).isEqualTo(new CandidateParser.Parsed(asPeerSeesIt));
    }

    @Property
    void arbitraryTextNeverThrows(@ForAll String line) {
        assertThat(CandidateParser.parse("candidate:" + line)).isNotNull();
    }

    @Provide
    Arbitrary<Candidate> candidates() {
        Arbitrary<byte[]> ip = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(4).filter(b -> b[0] != 0 && (b[0] & 0xF0) != 0xE0),
                Arbitraries.bytes().array(byte[].class).ofSize(16).filter(b -> (b[0] & 0xFF) == 0x20));
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
        Arbitrary<Candidate.Kind> kind = Arbitraries.of(Candidate.Kind.class);
        return Combinators.combine(ip, port, kind).as((bytes, p, k) -> {
            java.net.InetSocketAddress address;
            try {
                address = new java.net.InetSocketAddress(java.net.InetAddress.getByAddress(bytes), p);
            } catch (java.net.UnknownHostException impossible) {
                throw new AssertionError(impossible);
            }
            return switch (k) {
                case HOST -> Candidate.host(address);
                case SERVER_REFLEXIVE -> Candidate.serverReflexive(address, address("10.0.0.1", 1));
                case RELAYED -> Candidate.relayed(address);
                case PEER_REFLEXIVE -> Candidate.peerReflexive(address, address("10.0.0.1", 1), 1862270719L);
            };
        });
    }
}

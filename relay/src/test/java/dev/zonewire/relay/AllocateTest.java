package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;

import static dev.zonewire.relay.StunResponses.assertError;
import static dev.zonewire.relay.StunResponses.assertSuccess;
import static dev.zonewire.relay.StunResponses.lifetime;
import static dev.zonewire.relay.TestRelay.IP4;
import static dev.zonewire.relay.TestRelay.IP6;
import static org.assertj.core.api.Assertions.assertThat;

class AllocateTest {
    private static final StunAttribute ADDITIONAL_IPV6 = new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6);

    @Test
    void allocateSuccessIsByteForByteTheReferencesWhenThePortIs49152() {
        TestRelay relay = new TestRelay(RelayServerConfig.of(IP4, null).withPortRange(49152, 49152));
        TestClient client = new TestClient(relay, TestRelay.socket("198.51.100.20:40000"),
                new dev.zonewire.stun.RelayCredentials.Issued(
                        dev.zonewire.stun.RelayUsername.parse("1735689600:q1XN3o2ZyYxpL0d9Wm7R4g").orElseThrow(),
                        dev.zonewire.common.Secret.of("qTV7yWA10wya9vLL3FDV8lpkvkozL1ZZnrbKOBecsOg")));
        client.fetchNonce();

        relay.fromClient(StunEncoder.encode(client.signed(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"),
                new StunAttribute.RequestedTransport(17)), MessageProtection.integrity(client.key())), client.address);

        assertThat(relay.events()).containsExactly(new RelayEvent.AllocationCreated(49152, AddressFamily.IPV4, client.address));
        assertThat(HexFormat.of().formatHex(relay.transmits().getFirst().payload())).isEqualTo(
                "010300382112a4420102030405060708090a0b0c001600080001e112ea12d545002000080001bd52e721c056"
                        + "000d000400000258000800142da74c54c03d6a25a369480e444b5c5636bf93aa");
    }

    @Test
    void dualStackAllocationListsIpv4ThenIpv6OnTheSamePortAndOpensBoth() {
        TestRelay relay = TestRelay.dualStack();
        TestClient client = relay.client("198.51.100.20:40000");

        StunMessage response = client.allocate(ADDITIONAL_IPV6);

        assertSuccess(response);
        var relayed = response.all(StunAttribute.XorRelayedAddress.class);
        assertThat(relayed).hasSize(2);
        int port = relayed.get(0).address().getPort();
        assertThat(relayed.get(0).address()).isEqualTo(new InetSocketAddress(IP4, port));
        assertThat(relayed.get(1).address()).isEqualTo(new InetSocketAddress(IP6, port));
        assertThat(port).isBetween(49152, 65535);
        assertThat(response.first(StunAttribute.XorMappedAddress.class)).contains(new StunAttribute.XorMappedAddress(client.address));
        assertThat(lifetime(response)).isEqualTo(600);
        assertThat(relay.events()).containsExactly(
                new RelayEvent.AllocationCreated(port, AddressFamily.IPV4, client.address),
                new RelayEvent.AllocationCreated(port, AddressFamily.IPV6, client.address));
    }

    @Test
    void requestedIpv6GivesAnIpv6OnlyAllocation() {
        TestRelay relay = TestRelay.dualStack();
        TestClient client = relay.client("[2001:db8::20]:40000");

        StunMessage response = client.allocate(new StunAttribute.RequestedAddressFamily(AddressFamily.IPV6));

        assertThat(response.all(StunAttribute.XorRelayedAddress.class)).singleElement()
                .satisfies(r -> assertThat(r.address().getAddress()).isEqualTo(IP6));
    }

    @Test
    void additionalIpv6OnAnIpv4RelayGivesIpv4WithAnAddressErrorForIpv6() {
        TestRelay relay = TestRelay.ipv4Only();
        TestClient client = relay.client("198.51.100.20:40000");

        StunMessage response = client.allocate(ADDITIONAL_IPV6);

        assertThat(response.all(StunAttribute.XorRelayedAddress.class)).singleElement()
                .satisfies(r -> assertThat(r.address().getAddress()).isEqualTo(IP4));
        assertThat(response.first(StunAttribute.AddressErrorCode.class)).contains(new StunAttribute.AddressErrorCode(
                AddressFamily.IPV6, 440, "Address Family not Supported"));
    }

    @Test
    void additionalIpv6OnAnIpv6RelayGivesIpv6AsSnownetExpects() {
        TestRelay relay = TestRelay.ipv6Only();
        TestClient client = relay.client("[2001:db8::20]:40000");

        StunMessage response = client.allocate(ADDITIONAL_IPV6);

        assertThat(response.all(StunAttribute.XorRelayedAddress.class)).singleElement()
                .satisfies(r -> assertThat(r.address().getAddress()).isEqualTo(IP6));
    }

    @Test
    void requestedAndAdditionalFamilyTogetherIsABadRequest() {
        TestRelay relay = TestRelay.ipv4Only();

        assertError(relay.client("198.51.100.20:40000").allocate(
                new StunAttribute.RequestedAddressFamily(AddressFamily.IPV4), ADDITIONAL_IPV6), 400);
    }

    @Test
    void additionalFamilyIpv4IsABadRequest() {
        TestRelay relay = TestRelay.dualStack();

        assertError(relay.client("198.51.100.20:40000").allocate(
                new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV4)), 400);
    }

    @Test
    void familiesTheRelayLacksAreNotSupported() {
        assertError(TestRelay.ipv4Only().client("198.51.100.20:40000")
                .allocate(new StunAttribute.RequestedAddressFamily(AddressFamily.IPV6)), 440);
        assertError(TestRelay.ipv6Only().client("198.51.100.20:40000")
                .allocate(new StunAttribute.RequestedAddressFamily(AddressFamily.IPV4)), 440);
        assertError(TestRelay.ipv6Only().client("198.51.100.20:40000").allocate(), 440);
    }

    @Test
    void transportOtherThanUdpIsUnsupported() {
        TestClient client = TestRelay.dualStack().client("198.51.100.20:40000");
        client.fetchNonce();

        StunMessage response = client.exchange(client.signed(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"),
                new StunAttribute.RequestedTransport(6)));

        assertError(response, 442);
    }

    @Test
    void allocateWithoutRequestedTransportIsAnUnsignedBadRequest() {
        TestClient client = TestRelay.dualStack().client("198.51.100.20:40000");
        client.fetchNonce();

        var response = client.exchangeRaw(StunEncoder.encode(client.signed(StunMethod.ALLOCATE,
                TransactionId.ofHex("0102030405060708090a0b0c")), MessageProtection.integrity(client.key())));

        assertError(response.message(), 400);
        assertThat(response.hasMessageIntegrity()).isFalse();
    }

    @Test
    void secondAllocateFromTheSameAddressIsAMismatch() {
        TestClient client = TestRelay.dualStack().client("198.51.100.20:40000");
        assertSuccess(client.allocate());

        assertError(client.allocate(), 437);
    }

    @Test
    void retransmittedAllocateGetsTheSameAllocationAgain() {
        TestRelay relay = TestRelay.dualStack();
        TestClient client = relay.client("198.51.100.20:40000");
        client.fetchNonce();
        StunMessage request = client.signed(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"),
                new StunAttribute.RequestedTransport(17));
        StunMessage first = client.exchange(request);
        relay.events();

        relay.advance(Duration.ofSeconds(100));
        StunMessage again = client.exchange(request);

        assertThat(again.all(StunAttribute.XorRelayedAddress.class)).isEqualTo(first.all(StunAttribute.XorRelayedAddress.class));
        assertThat(lifetime(again)).isEqualTo(500);
        assertThat(relay.events()).isEmpty();
        assertThat(relay.server.allocationCount()).isEqualTo(1);
    }

    @Test
    void evenPortGivesAnEvenPortAndAReservationIsRefused() {
        TestRelay relay = TestRelay.dualStack();

        StunMessage even = relay.client("192.0.2.1:1").allocate(new StunAttribute.EvenPort(false));
        StunMessage reserve = relay.client("192.0.2.2:1").allocate(new StunAttribute.EvenPort(true));

        assertThat(even.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort() % 2).isZero();
        assertError(reserve, 508);
    }

    @Test
    void fullPortRangeGivesInsufficientCapacity() {
        TestRelay relay = new TestRelay(RelayServerConfig.of(IP4, null).withPortRange(50000, 50001));
        assertSuccess(relay.client("192.0.2.1:1").allocate());
        assertSuccess(relay.client("192.0.2.2:1").allocate());

        assertError(relay.client("192.0.2.3:1").allocate(), 508);
    }

    @Test
    void everyAllocationGetsItsOwnPortFromTheRange() {
        TestRelay relay = new TestRelay(RelayServerConfig.of(IP4, null).withPortRange(50000, 50009));
        java.util.Set<Integer> ports = new java.util.HashSet<>();

        for (int i = 0; i < 10; i++) {
            StunMessage response = relay.client("192.0.2." + (i + 1) + ":1").allocate();
            ports.add(response.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort());
        }

        assertThat(ports).hasSize(10).allSatisfy(port -> assertThat(port).isBetween(50000, 50009));
    }

    @Test
    void lifetimeIsRaisedToTheDefaultAndCappedAtAnHour() {
        TestRelay relay = TestRelay.dualStack();

        assertThat(lifetime(relay.client("192.0.2.1:1").allocate(new StunAttribute.Lifetime(10_000_000)))).isEqualTo(3600);
        assertThat(lifetime(relay.client("192.0.2.2:1").allocate(new StunAttribute.Lifetime(1)))).isEqualTo(600);
        assertThat(lifetime(relay.client("192.0.2.3:1").allocate(new StunAttribute.Lifetime(0)))).isEqualTo(600);
        assertThat(lifetime(relay.client("192.0.2.4:1").allocate(new StunAttribute.Lifetime(1800)))).isEqualTo(1800);
    }

    @Test
    void allocationIsFreedExactlyWhenItsLifetimeEnds() {
        TestRelay relay = TestRelay.dualStack();
        TestClient client = relay.client("198.51.100.20:40000");
        StunMessage response = client.allocate(new StunAttribute.Lifetime(1234));
        int port = response.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort();
        relay.events();

        assertThat(relay.server.pollTimeout()).isEqualTo(relay.nanosFromNow(Duration.ofSeconds(1234)));
        relay.advance(Duration.ofSeconds(1233));
        assertThat(relay.events()).isEmpty();
        relay.advance(Duration.ofSeconds(1));

        assertThat(relay.events()).containsExactly(new RelayEvent.AllocationFreed(port, AddressFamily.IPV4));
        assertThat(relay.server.allocationCount()).isZero();
        assertThat(relay.server.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void drainingRelayRefusesNewAllocationsButRefreshesExistingOnes() {
        TestRelay relay = TestRelay.dualStack();
        TestClient existing = relay.client("192.0.2.1:1");
        assertSuccess(existing.allocate());

        relay.server.stopAcceptingAllocations();

        assertError(relay.client("192.0.2.2:1").allocate(), 508);
        assertSuccess(existing.request(StunMethod.REFRESH));
    }
}

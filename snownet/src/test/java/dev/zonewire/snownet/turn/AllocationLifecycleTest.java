package dev.zonewire.snownet.turn;

import static dev.zonewire.snownet.turn.TurnHarness.CLIENT;
import static dev.zonewire.snownet.turn.TurnHarness.PEER;
import static dev.zonewire.snownet.turn.TurnHarness.RELAY_V4;
import static dev.zonewire.snownet.turn.TurnHarness.RELAY_V6;
import static dev.zonewire.snownet.turn.TurnHarness.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.snownet.ice.Candidate;
import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AllocationLifecycleTest {

    @Test
    void itStartsWithAnUnauthenticatedBindingToEveryRelayAddress() {
        TurnHarness harness = TurnHarness.dualStack();

        assertThat(harness.sentToRelay).hasSizeGreaterThanOrEqualTo(2);
        assertThat(harness.sentToRelay.subList(0, 2)).allSatisfy(message -> {
            assertThat(message.method()).isEqualTo(StunMethod.BINDING);
            assertThat(message.attributes()).containsExactly(new StunAttribute.Software("snownet; session=TEST"));
        });
    }

    @Test
    void theFirstAllocateCarriesNoCredentialsAndAsksForBothFamiliesAndTheRetrySignsWithTheNonce() {
        TurnHarness harness = TurnHarness.dualStack();

        StunMessage first = harness.sent(StunMethod.ALLOCATE).getFirst();
        StunMessage retry = harness.sent(StunMethod.ALLOCATE).get(1);
        assertThat(first.attributes()).containsExactly(
                new StunAttribute.RequestedTransport(17),
                new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6),
                new StunAttribute.Software("snownet; session=TEST"));
        assertThat(retry.attributes()).startsWith(first.attributes().toArray(StunAttribute[]::new))
                .contains(new StunAttribute.Username(harness.allocation.credentials().username()), new StunAttribute.Realm("firezone"))
                .anyMatch(StunAttribute.Nonce.class::isInstance)
                .anyMatch(StunAttribute.MessageIntegrity.class::isInstance);
    }

    @Test
    void aDualStackRelayGivesBothRelayedAddressesAndTheBindingGivesTheServerReflexiveOne() {
        TurnHarness harness = TurnHarness.dualStack();

        assertThat(harness.allocation.activeServer()).contains(RELAY_V4);
        assertThat(harness.allocation.serverReflexive(true)).contains(Candidate.serverReflexive(CLIENT, CLIENT));
        Candidate relayed4 = harness.allocation.relayed(true).orElseThrow();
        Candidate relayed6 = harness.allocation.relayed(false).orElseThrow();
        assertThat(relayed4.address().getAddress()).isEqualTo(RELAY_V4.getAddress());
        assertThat(relayed6.address().getAddress()).isEqualTo(RELAY_V6.getAddress());
        assertThat(relayed6.address().getPort()).as("one port for both families").isEqualTo(relayed4.address().getPort());
        assertThat(harness.events).containsExactly(
                new TurnEvent.CandidateAdded(Candidate.serverReflexive(CLIENT, CLIENT)),
                new TurnEvent.CandidateAdded(relayed4),
                new TurnEvent.CandidateAdded(relayed6));
        assertThat(harness.allocation.isServer(RELAY_V6)).isTrue();
    }

    @Test
    void anIpv4OnlyRelayGivesOnlyAnIpv4RelayedAddress() {
        TurnHarness harness = TurnHarness.ipv4Only();

        assertThat(harness.allocation.relayed(true)).isPresent();
        assertThat(harness.allocation.relayed(false)).isEmpty();
    }

    @Test
    void theAllocationIsRefreshedAtHalfItsLifetimeWithoutALifetimeAttribute() {
        TurnHarness harness = TurnHarness.ipv4Only();
        long allocatedAt = harness.now;

        harness.advanceSeconds(299);
        assertThat(harness.sent(StunMethod.REFRESH)).isEmpty();
        harness.advanceSeconds(1);

        assertThat(harness.sent(StunMethod.REFRESH)).singleElement()
                .satisfies(refresh -> assertThat(refresh.has(StunAttribute.Lifetime.class)).isFalse());
        assertThat(harness.sentAt.get(harness.sentToRelay.indexOf(harness.sent(StunMethod.REFRESH).getFirst())))
                .isEqualTo(allocatedAt + 300_000_000_000L);
        harness.advanceSeconds(3600);
        assertThat(harness.allocation.hasAllocation()).isTrue();
        assertThat(harness.relay.allocationCount()).isEqualTo(1);
    }

    @Test
    void aBoundChannelCarriesDataBothWays() {
        TurnHarness harness = TurnHarness.ipv4Only();

        harness.allocation.bindChannel(PEER, harness.now);
        harness.drain();
        byte[] toPeer = harness.allocation.encodeChannelData(PEER, "ping".getBytes(StandardCharsets.US_ASCII), harness.now);
        harness.allocation.pollTransmit();
        StunAttribute.ChannelNumber number = harness.sent(StunMethod.CHANNEL_BIND).getFirst()
                .first(StunAttribute.ChannelNumber.class).orElseThrow();

        assertThat(number.number()).isEqualTo(0x4000);
        assertThat(toPeer).isNotNull();
        assertThat(harness.relay.handleClientInput(ByteBuffer.wrap(toPeer), CLIENT, harness.now, harness.unixMillis())
                .destination()).isEqualTo(PEER);
        assertThat(harness.peerSends("pong".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(harness.allocation.canSendTo(PEER, harness.now)).isTrue();
    }

    @Test
    void aChannelRequestedBeforeTheAllocationIsBoundOnceItExists() {
        TurnHarness harness = TurnHarness.deadRelay();
        harness.allocation.bindChannel(PEER, harness.now);
        harness.relayAlive = true;
        harness.advanceSeconds(1);
        harness.drain();

        assertThat(harness.allocation.canSendTo(PEER, harness.now)).isTrue();
    }

    @Test
    void channelDataOnAnUnboundChannelOrMalformedIsRefused() {
        TurnHarness harness = TurnHarness.ipv4Only();

        assertThat(harness.allocation.receiveChannelData(ByteBuffer.wrap(new byte[] {0x40, 0x00, 0x00, 0x01, 0x55}), harness.now)).isNull();
        assertThat(harness.allocation.receiveChannelData(ByteBuffer.wrap(new byte[] {0x40, 0x00, 0x00, 0x09}), harness.now)).isNull();
        assertThat(harness.allocation.receiveChannelData(ByteBuffer.wrap(new byte[] {0x40}), harness.now)).isNull();
        assertThat(harness.allocation.encodeChannelData(PEER, new byte[1], harness.now)).isNull();
    }

    @Test
    void aMessageFromAnotherAddressIsNotTheRelays() {
        TurnHarness harness = TurnHarness.ipv4Only();

        assertThat(harness.allocation.handleStun(ByteBuffer.wrap(new byte[20]), PEER, CLIENT, harness.now)).isFalse();
        assertThat(harness.allocation.handleStun(ByteBuffer.wrap(new byte[3]), RELAY_V4, CLIENT, harness.now)).isTrue();
    }
}

package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.zonewire.relay.StunResponses.assertError;
import static dev.zonewire.relay.StunResponses.assertSuccess;
import static org.assertj.core.api.Assertions.assertThat;

/** When the driver cannot open an allocation's socket (say, another process holds the port). */
class AllocationFailureTest {
    private final TestRelay relay = new TestRelay(RelayServerConfig.of(TestRelay.IP4, TestRelay.IP6).withPortRange(50000, 50009));
    private final TestClient client = relay.client("198.51.100.20:40000");

    private void sendAllocate() {
        client.fetchNonce();
        relay.fromClient(StunEncoder.encode(client.signed(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"),
                        new StunAttribute.RequestedTransport(17), new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6)),
                MessageProtection.integrity(client.key())), client.address);
    }

    @Test
    void failedPortIsReplacedByAnotherBeforeTheResponseGoesOut() {
        sendAllocate();
        RelayEvent.AllocationCreated first = (RelayEvent.AllocationCreated) relay.server.pollEvent();

        relay.server.handleAllocationFailed(first.port(), AddressFamily.IPV4, relay.now);

        List<RelayEvent> events = relay.events();
        assertThat(events).startsWith(new RelayEvent.AllocationFreed(first.port(), AddressFamily.IPV4),
                new RelayEvent.AllocationFreed(first.port(), AddressFamily.IPV6));
        int newPort = ((RelayEvent.AllocationCreated) events.get(2)).port();
        assertThat(newPort).isNotEqualTo(first.port());
        List<Transmit> transmits = relay.transmits();
        assertThat(transmits).hasSize(1);
        StunMessage response = TestClient.decode(transmits.getFirst().payload()).message();
        assertSuccess(response);
        assertThat(response.all(StunAttribute.XorRelayedAddress.class))
                .allSatisfy(relayed -> assertThat(relayed.address().getPort()).isEqualTo(newPort));
    }

    @Test
    void afterThreeFailedPortsTheClientGetsInsufficientCapacity() {
        sendAllocate();
        for (int attempt = 0; attempt < 3; attempt++) {
            RelayEvent event;
            while (!((event = relay.server.pollEvent()) instanceof RelayEvent.AllocationCreated)) {
                assertThat(event).isNotNull();
            }
            relay.server.handleAllocationFailed(((RelayEvent.AllocationCreated) event).port(), AddressFamily.IPV4, relay.now);
        }

        List<Transmit> transmits = relay.transmits();

        assertThat(transmits).hasSize(1);
        assertError(TestClient.decode(transmits.getFirst().payload()).message(), 508);
        assertThat(relay.server.allocationCount()).isZero();
    }

    @Test
    void failureAfterTheResponseWasSentFreesTheAllocation() {
        sendAllocate();
        RelayEvent.AllocationCreated created = (RelayEvent.AllocationCreated) relay.server.pollEvent();
        relay.events();
        relay.transmits();

        relay.server.handleAllocationFailed(created.port(), AddressFamily.IPV6, relay.now);

        assertThat(relay.server.allocationCount()).isZero();
        assertThat(relay.transmits()).isEmpty();
    }
}

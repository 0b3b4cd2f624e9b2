package dev.zonewire.relay;

import dev.zonewire.stun.AddressFamily;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.zonewire.relay.StunResponses.assertError;
import static dev.zonewire.relay.StunResponses.assertSuccess;
import static dev.zonewire.relay.StunResponses.lifetime;
import static org.assertj.core.api.Assertions.assertThat;

class RefreshTest {
    private final TestRelay relay = TestRelay.dualStack();
    private final TestClient client = relay.client("198.51.100.20:40000");

    @Test
    void refreshInTimeReplacesTheLifetimeInsteadOfAddingToIt() {
        client.allocate(new StunAttribute.Lifetime(2000));
        relay.advance(Duration.ofSeconds(1000));

        StunMessage response = client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(900));

        assertThat(lifetime(response)).isEqualTo(900);
        assertThat(relay.server.pollTimeout()).isEqualTo(relay.nanosFromNow(Duration.ofSeconds(900)));
        relay.advance(Duration.ofSeconds(899));
        assertThat(relay.server.allocationCount()).isEqualTo(1);
        relay.advance(Duration.ofSeconds(1));
        assertThat(relay.server.allocationCount()).isZero();
    }

    @Test
    void refreshedAllocationOutlivesItsOriginalExpiry() {
        client.allocate(new StunAttribute.Lifetime(1000));
        relay.advance(Duration.ofSeconds(500));
        client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(1000));

        relay.advance(Duration.ofSeconds(999));

        assertThat(relay.server.allocationCount()).isEqualTo(1);
        relay.advance(Duration.ofSeconds(1));
        assertThat(relay.server.allocationCount()).isZero();
    }

    @Test
    void refreshWithoutLifetimeUsesTheDefault() {
        client.allocate(new StunAttribute.Lifetime(3600));

        assertThat(lifetime(client.request(StunMethod.REFRESH))).isEqualTo(600);
    }

    @Test
    void lifetimeZeroDeletesTheAllocationAtOnce() {
        StunMessage allocated = client.allocate(new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6));
        int port = allocated.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort();
        relay.events();

        StunMessage response = client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(0));

        assertSuccess(response);
        assertThat(lifetime(response)).isZero();
        assertThat(relay.events()).containsExactly(new RelayEvent.AllocationFreed(port, AddressFamily.IPV4),
                new RelayEvent.AllocationFreed(port, AddressFamily.IPV6));
        relay.advance(Duration.ofSeconds(3600));
        assertThat(relay.events()).isEmpty();
    }

    @Test
    void refreshWithoutAllocationIsAMismatch() {
        assertError(client.request(StunMethod.REFRESH), 437);
        assertError(client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(0)), 437);
    }

    @Test
    void refreshNamingAFamilyTheAllocationLacksIsAFamilyMismatch() {
        client.allocate();

        assertError(client.request(StunMethod.REFRESH, new StunAttribute.RequestedAddressFamily(AddressFamily.IPV6)), 443);
    }

    @Test
    void dualStackAllocationCanGiveUpOneFamily() {
        StunMessage allocated = client.allocate(new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6));
        int port = allocated.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort();
        relay.events();

        StunMessage response = client.request(StunMethod.REFRESH, new StunAttribute.Lifetime(0),
                new StunAttribute.RequestedAddressFamily(AddressFamily.IPV6));

        assertSuccess(response);
        assertThat(relay.events()).containsExactly(new RelayEvent.AllocationFreed(port, AddressFamily.IPV6));
        assertThat(relay.server.allocationCount()).isEqualTo(1);
        assertError(client.bindChannel(0x4000, TestRelay.socket("[2001:db8::50]:1")), 443);
    }

    @Test
    void snownetsRefreshWithTransportAndAdditionalFamilyIsAccepted() {
        client.allocate(new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6));

        StunMessage response = client.request(StunMethod.REFRESH, new StunAttribute.RequestedTransport(17),
                new StunAttribute.AdditionalAddressFamily(AddressFamily.IPV6), new StunAttribute.Software("snownet; session=AA"));

        assertThat(lifetime(response)).isEqualTo(600);
    }
}

package dev.zonewire.relay;

import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import org.junit.jupiter.api.Test;

import static dev.zonewire.relay.StunResponses.assertError;
import static dev.zonewire.relay.StunResponses.assertSuccess;
import static dev.zonewire.relay.TestRelay.socket;
import static org.assertj.core.api.Assertions.assertThat;

class CreatePermissionTest {
    private final TestRelay relay = TestRelay.dualStack();
    private final TestClient client = relay.client("198.51.100.20:40000");

    @Test
    void permissionWithAnAllocationSucceedsWithNothingButIntegrity() {
        client.allocate();

        StunMessage response = client.request(StunMethod.CREATE_PERMISSION, new StunAttribute.XorPeerAddress(socket("192.0.2.50:1")));

        assertSuccess(response);
        assertThat(response.attributes()).singleElement().isInstanceOf(StunAttribute.MessageIntegrity.class);
    }

    @Test
    void permissionAloneDoesNotLetPeerDataThrough() {
        StunMessage allocated = client.allocate();
        int port = allocated.first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort();
        client.request(StunMethod.CREATE_PERMISSION, new StunAttribute.XorPeerAddress(socket("192.0.2.50:1")));

        assertThat(relay.fromPeer(new byte[4], socket("192.0.2.50:1"), port)).isNull();
    }

    @Test
    void permissionWithoutAllocationIsAMismatch() {
        assertError(client.request(StunMethod.CREATE_PERMISSION, new StunAttribute.XorPeerAddress(socket("192.0.2.50:1"))), 437);
    }

    @Test
    void permissionWithoutPeerIsABadRequest() {
        client.allocate();

        assertError(client.request(StunMethod.CREATE_PERMISSION), 400);
    }

    @Test
    void permissionForAFamilyTheAllocationLacksIsAFamilyMismatch() {
        client.allocate();

        assertError(client.request(StunMethod.CREATE_PERMISSION, new StunAttribute.XorPeerAddress(socket("192.0.2.50:1")),
                new StunAttribute.XorPeerAddress(socket("[2001:db8::1]:1"))), 443);
    }
}

package dev.zonewire.tunnel.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.messages.ClientOutbound;
import dev.zonewire.tunnel.messages.ConnectionDetails;
import dev.zonewire.tunnel.messages.ResolveRequest;
import dev.zonewire.tunnel.net.IpLiterals;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConnectionIntentsTest {
    private static final UUID RESOURCE = UUID.fromString("f16ecfa0-a94f-4bfd-a2ef-1cc1f2ef3da3");
    private static final UUID GATEWAY = UUID.fromString("73037362-715d-4a83-a749-f18eadd970e6");
    private static final UUID SITE = UUID.fromString("bf56f32d-7b2c-4f5d-a784-788977d014a4");
    private static final long SECOND = 1_000_000_000L;
    private static final ResolveRequest DOMAIN = new ResolveRequest("app.example.com", List.of(IpLiterals.parse("100.96.0.1")));

    private final ConnectionIntents intents = new ConnectionIntents();

    @Test
    void aResourceIsAskedForAtMostOnceEveryTwoSeconds() {
        assertThat(intents.intent(RESOURCE, null, 0)).isEqualTo(new ClientOutbound.PrepareConnection(RESOURCE, List.of()));
        assertThat(intents.intent(RESOURCE, null, 2 * SECOND - 1)).isNull();
        assertThat(intents.intent(RESOURCE, null, 2 * SECOND)).isNotNull();
    }

    @Test
    void theReplyToTheNewestRequestIsAcceptedWithTheFirstDomain() {
        intents.intent(RESOURCE, DOMAIN, 0);
        intents.sent(5, RESOURCE);
        intents.intent(RESOURCE, new ResolveRequest("other.example.com", List.of()), 3 * SECOND);
        intents.sent(6, RESOURCE);

        assertThat(intents.accept(5, details())).isNull();
        ConnectionIntents.Routed routed = intents.accept(6, details());

        assertThat(routed).isEqualTo(new ConnectionIntents.Routed(RESOURCE, GATEWAY, SITE, DOMAIN));
        assertThat(intents.isAwaiting(RESOURCE)).isFalse();
        assertThat(intents.outstandingRequests()).isZero();
    }

    @Test
    void aReplyForAnUnknownRefOrAnotherResourceIsIgnored() {
        intents.intent(RESOURCE, null, 0);
        intents.sent(5, RESOURCE);

        assertThat(intents.accept(99, details())).isNull();
        assertThat(intents.accept(5, new ConnectionDetails(UUID.randomUUID(), GATEWAY, SITE, IpLiterals.parse("172.28.0.1")))).isNull();
    }

    @Test
    void connectedGatewaysAreOfferedSortedByIdAndAtMostAHundred() {
        for (int i = 0; i < 150; i++) {
            UUID resource = new UUID(1, i);
            intents.intent(resource, null, 0);
            intents.sent(i, resource);
            intents.accept(i, new ConnectionDetails(resource, new UUID(2, 149 - i), SITE, IpLiterals.parse("172.28.0.1")));
        }

        List<UUID> offered = intents.intent(RESOURCE, null, 0).connectedGatewayIds();

        assertThat(offered).hasSize(ConnectionIntents.RECENT_GATEWAYS).isSortedAccordingTo(Comparator.comparing(UUID::toString));
        assertThat(offered).contains(new UUID(2, 0)).doesNotContain(new UUID(2, 149));
    }

    @Test
    void offlineForgetsOnlyThatRequest() {
        intents.intent(RESOURCE, null, 0);
        intents.sent(5, RESOURCE);

        assertThat(intents.offline(5)).isEqualTo(RESOURCE);
        assertThat(intents.accept(5, details())).isNull();
        assertThat(intents.isAwaiting(RESOURCE)).isTrue();
    }

    private static ConnectionDetails details() {
        return new ConnectionDetails(RESOURCE, GATEWAY, SITE, IpLiterals.parse("172.28.0.1"));
    }
}

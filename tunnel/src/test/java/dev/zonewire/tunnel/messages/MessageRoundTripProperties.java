package dev.zonewire.tunnel.messages;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MessageRoundTripProperties {

    @Property(tries = 300)
    void everyPortalToClientMessageDecodesToItselfAfterEncoding(@ForAll("clientInbound") ClientInbound message) {
        PortalMessage encoded = ClientMessages.encode(message);

        assertThat(ClientMessages.decodeInbound(encoded.event(), encoded.payloadJson())).isEqualTo(new Decoded.Message<>(message));
    }

    @Property(tries = 300)
    void everyClientToPortalMessageDecodesToItselfAfterEncoding(@ForAll("clientOutbound") ClientOutbound message) {
        PortalMessage encoded = ClientMessages.encode(message);

        assertThat(ClientMessages.decodeOutbound(encoded.event(), encoded.payloadJson())).isEqualTo(new Decoded.Message<>(message));
    }

    @Property(tries = 300)
    void everyPortalToGatewayMessageDecodesToItselfAfterEncoding(@ForAll("gatewayInbound") GatewayInbound message) {
        PortalMessage encoded = GatewayMessages.encode(message);

        assertThat(GatewayMessages.decodeInbound(encoded.event(), encoded.payloadJson())).isEqualTo(new Decoded.Message<>(message));
    }

    @Property(tries = 300)
    void everyGatewayToPortalMessageDecodesToItselfAfterEncoding(@ForAll("gatewayOutbound") GatewayOutbound message) {
        PortalMessage encoded = GatewayMessages.encode(message);

        assertThat(GatewayMessages.decodeOutbound(encoded.event(), encoded.payloadJson())).isEqualTo(new Decoded.Message<>(message));
    }

    @Provide
    Arbitrary<ClientInbound> clientInbound() {
        return MessageArbitraries.clientInbound();
    }

    @Provide
    Arbitrary<ClientOutbound> clientOutbound() {
        return MessageArbitraries.clientOutbound();
    }

    @Provide
    Arbitrary<GatewayInbound> gatewayInbound() {
        return MessageArbitraries.gatewayInbound();
    }

    @Provide
    Arbitrary<GatewayOutbound> gatewayOutbound() {
        return MessageArbitraries.gatewayOutbound();
    }
}

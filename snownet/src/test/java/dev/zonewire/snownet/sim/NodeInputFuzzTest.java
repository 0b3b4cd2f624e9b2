package dev.zonewire.snownet.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zonewire.snownet.Decapsulated;
import dev.zonewire.snownet.Node;
import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMessageClass;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Fuzzes everything a node parses from the network, on a gateway with a live relayed connection:
 * datagrams from its relay (TURN responses, ChannelData carrying anything), from the peer (ICE
 * checks signed with the real credentials, WireGuard-looking bytes) and from strangers. No input
 * may throw, every input gets a result, and the node keeps working.
 */
class NodeInputFuzzTest {
    private static final Scenario SCENARIO = relayedScenario();
    private static final Node<String, String> GATEWAY = SCENARIO.gateway.node;
    private static final InetSocketAddress LOCAL = SCENARIO.gateway.host;
    private static final InetSocketAddress RELAY = SCENARIO.relays.getFirst().listen;
    private static final IntegrityKey GATEWAY_KEY = IntegrityKey.shortTerm(SCENARIO.lastGatewayCredentials.password());
    private static final String USERNAME = SCENARIO.lastGatewayCredentials.ufrag() + ":" + SCENARIO.lastClientCredentials.ufrag();
    private static long now = SCENARIO.now;

    private static Scenario relayedScenario() {
        Scenario scenario = new Scenario(71, Nat.Kind.SYMMETRIC, Nat.Kind.SYMMETRIC, 1).withRelays();
        scenario.run(Duration.ofMillis(500));
        scenario.authorizeFlow();
        scenario.runUntil(scenario::bothEstablished, Duration.ofSeconds(5));
        return scenario;
    }

    @FuzzTest(maxDuration = "20s")
    void anyDatagramFromAnyone(FuzzedDataProvider data) {
        int sender = data.consumeInt(0, 3);
        int shape = data.consumeInt(0, 3);
        InetSocketAddress from = switch (sender) {
            case 0 -> RELAY;
            case 1 -> new InetSocketAddress(InetAddress.ofLiteral("198.51.100.101"), data.consumeInt(0, 65535));
            case 2 -> new InetSocketAddress(InetAddress.ofLiteral("198.51.100.2"), data.consumeInt(0, 65535));
            default -> new InetSocketAddress(InetAddress.ofLiteral("192.0.2.1"), 9);
        };
        byte[] bytes = switch (shape) {
            case 0 -> data.consumeRemainingAsBytes();
            case 1 -> ChannelData.encode(data.consumeInt(ChannelData.MIN_CHANNEL, ChannelData.MIN_CHANNEL + 3),
                    data.consumeBytes(Node.MAX_DATAGRAM_PAYLOAD - 4), false);
            case 2 -> signedCheck(data);
            default -> ChannelData.encode(ChannelData.MIN_CHANNEL + data.consumeInt(0, 3), signedCheck(data), false);
        };
        now += data.consumeLong(0, 2_000_000_000L);

        Decapsulated<String> result = GATEWAY.decapsulate(LOCAL, from, ByteBuffer.wrap(bytes), now);

        assertThat(result).isNotNull();
        if (GATEWAY.pollTimeout() <= now) {
            GATEWAY.handleTimeout(now);
        }
        while (GATEWAY.pollTransmit() != null) {
            // drained as a driver would
        }
        while (GATEWAY.pollEvent() != null) {
            // drained as a driver would
        }
    }

    /** A Binding with fuzzed attributes, signed with the gateway's real ICE password so that it is taken in. */
    private static byte[] signedCheck(FuzzedDataProvider data) {
        StunMessageClass messageClass = StunMessageClass.values()[data.consumeInt(0, 3)];
        StunMessage.Builder message = new StunMessage(messageClass, StunMethod.BINDING,
                new TransactionId(data.consumeInt(), data.consumeLong()), java.util.List.of()).toBuilder();
        if (data.consumeBoolean()) {
            message.add(new StunAttribute.Username(data.consumeBoolean() ? USERNAME : data.consumeString(20)));
        }
        int attributes = data.consumeInt(0, 5);
        for (int i = 0; i < attributes; i++) {
            message.add(switch (data.consumeInt(0, 6)) {
                case 0 -> new StunAttribute.Priority(data.consumeLong(0, 0xFFFFFFFFL));
                case 1 -> new StunAttribute.IceControlling(data.consumeLong());
                case 2 -> new StunAttribute.IceControlled(data.consumeLong());
                case 3 -> new StunAttribute.UseCandidate();
                case 4 -> new StunAttribute.ErrorCode(data.consumeInt(300, 699), "x");
                case 5 -> new StunAttribute.XorMappedAddress(new InetSocketAddress(InetAddress.ofLiteral("198.51.100.2"),
                        data.consumeInt(0, 65535)));
                default -> new StunAttribute.Unknown(data.consumeInt(0, 0xFFFF), data.consumeBytes(16));
            });
        }
        MessageProtection protection = data.consumeBoolean()
                ? MessageProtection.integrity(GATEWAY_KEY).withFingerprint() : MessageProtection.fingerprintOnly();
        return StunEncoder.encode(message.build(), protection);
    }
}

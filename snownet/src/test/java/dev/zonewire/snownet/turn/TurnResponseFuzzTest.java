package dev.zonewire.snownet.turn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMessageClass;
import dev.zonewire.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Fuzzes the TURN client with answers from its relay: raw bytes, and responses to the requests it
 * really has in flight, signed with the real key, with fuzzed classes, error codes and attributes.
 * Nothing may throw, and the client stays within its bounds.
 */
class TurnResponseFuzzTest {
    private static final TurnCredentials CREDENTIALS = TurnHarness.validCredentials();
    private static final IntegrityKey KEY = IntegrityKey.longTerm(CREDENTIALS.username(), CREDENTIALS.realm(), CREDENTIALS.password());

    @FuzzTest(maxDuration = "20s")
    void anyAnswerFromTheRelay(FuzzedDataProvider data) {
        TurnHarness harness = TurnHarness.ipv4Only();
        harness.allocation.bindChannel(TurnHarness.PEER, harness.now);
        harness.relayAlive = false;
        harness.advanceSeconds(data.pickValue(new int[] {0, 1, 3, 301}));
        List<StunMessage> sent = harness.sentToRelay;
        int answers = data.consumeInt(1, 8);

        for (int i = 0; i < answers && data.remainingBytes() > 0; i++) {
            byte[] bytes = data.consumeBoolean() ? data.consumeBytes(200)
                    : answer(sent.get(data.consumeInt(0, sent.size() - 1)), data);
            harness.allocation.handleStun(ByteBuffer.wrap(bytes), TurnHarness.RELAY_V4, TurnHarness.CLIENT, harness.now);
            harness.allocation.receiveChannelData(ByteBuffer.wrap(data.consumeBytes(20)), harness.now);
            harness.advanceSeconds(data.consumeInt(0, 10));
        }

        assertThat(harness.allocation.channelCount()).isLessThanOrEqualTo(4096);
        assertThat(harness.allocation.pollTimeout()).isGreaterThanOrEqualTo(harness.now);
    }

    private static byte[] answer(StunMessage request, FuzzedDataProvider data) {
        boolean success = data.consumeBoolean();
        StunMessage.Builder response = new StunMessage(success ? StunMessageClass.SUCCESS_RESPONSE : StunMessageClass.ERROR_RESPONSE,
                request.method(), data.consumeBoolean() ? request.transactionId() : new TransactionId(data.consumeInt(), data.consumeLong()),
                List.of()).toBuilder();
        if (!success) {
            response.add(StunAttribute.ErrorCode.of(data.pickValue(new int[] {400, 401, 420, 437, 438, 440, 443, 486, 500, 508})));
        }
        int attributes = data.consumeInt(0, 5);
        for (int i = 0; i < attributes; i++) {
            response.add(switch (data.consumeInt(0, 5)) {
                case 0 -> new StunAttribute.Lifetime(data.consumeLong(0, 0xFFFFFFFFL));
                case 1 -> new StunAttribute.XorRelayedAddress(address(data));
                case 2 -> new StunAttribute.XorMappedAddress(address(data));
                case 3 -> new StunAttribute.Nonce(data.consumeString(30));
                case 4 -> new StunAttribute.Realm(data.consumeBoolean() ? "firezone" : data.consumeString(10));
                default -> new StunAttribute.Unknown(data.consumeInt(0, 0xFFFF), data.consumeBytes(8));
            });
        }
        return data.consumeBoolean() ? StunEncoder.encode(response.build(), MessageProtection.integrity(KEY))
                : StunEncoder.encode(response.build());
    }

    private static InetSocketAddress address(FuzzedDataProvider data) {
        return new InetSocketAddress(InetAddress.ofLiteral(data.consumeBoolean() ? "198.51.100.101" : "2001:db8::101"),
                data.consumeInt(0, 65535));
    }
}

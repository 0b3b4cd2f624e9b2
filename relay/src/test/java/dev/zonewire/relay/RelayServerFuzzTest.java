package dev.zonewire.relay;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.zonewire.stun.ChannelData;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the server's input handling with datagrams from a few clients and peers, interleaved
 * with time passing. One client holds a real allocation and channel, so ChannelData, peer data
 * and authenticated requests reach deep paths. Nothing may throw, and the counts stay consistent.
 */
class RelayServerFuzzTest {
    private static final InetSocketAddress PEER = TestRelay.socket("192.0.2.50:51820");

    @FuzzTest(maxDuration = "20s")
    void inputHandlingNeverThrows(FuzzedDataProvider data) {
        TestRelay relay = TestRelay.dualStack();
        TestClient client = relay.client("198.51.100.20:40000");
        int port = client.allocate().first(StunAttribute.XorRelayedAddress.class).orElseThrow().address().getPort();
        client.bindChannel(0x4000, PEER);
        InetSocketAddress[] sources = {client.address, PEER, TestRelay.socket("[2001:db8::9]:9")};

        while (data.remainingBytes() > 0) {
            int action = data.consumeInt(0, 3);
            InetSocketAddress source = sources[data.consumeInt(0, sources.length - 1)];
            switch (action) {
                case 0 -> relay.fromClient(data.consumeBytes(data.consumeInt(0, 600)), source);
                case 1 -> relay.server.handlePeerInput(ByteBuffer.wrap(data.consumeBytes(600)), source,
                        data.consumeBoolean() ? port : data.consumeInt(0, 70000), relay.now);
                case 2 -> relay.advance(Duration.ofSeconds(data.consumeInt(0, 4000)));
                default -> relay.fromClient(authenticatedRequest(data, client), client.address);
            }
            relay.transmits();
            relay.events();
        }

        assertThat(relay.server.allocationCount()).isBetween(0, 1);
        // A signed ChannelBind with fuzzed attributes may legitimately bind more numbers on the one allocation.
        assertThat(relay.server.boundChannelCount())
                .isBetween(0, relay.server.allocationCount() * (ChannelData.MAX_CHANNEL_RFC5766 - ChannelData.MIN_CHANNEL + 1));
    }

    private static final int[] METHODS = {StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CHANNEL_BIND,
            StunMethod.CREATE_PERMISSION, StunMethod.BINDING};
    private static final int[] TYPES = {0x000C, 0x000D, 0x0012, 0x0017, 0x0019, 0x8000, 0x001A, 0x0013, 0x8022, 0xC000};

    /** A correctly signed request whose other attributes are fuzzed, so handlers see hostile values. */
    private static byte[] authenticatedRequest(FuzzedDataProvider data, TestClient client) {
        StunMessage.Builder message = StunMessage.request(METHODS[data.consumeInt(0, METHODS.length - 1)],
                new TransactionId(data.consumeInt(), data.consumeLong()));
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            int type = data.consumeBoolean() ? TYPES[data.consumeInt(0, TYPES.length - 1)] : data.consumeInt(0, 0xFFFF);
            message.add(new StunAttribute.Unknown(type, data.consumeBytes(data.consumeInt(0, 24))));
        }
        message.add(new StunAttribute.Username(client.credentials.username().toString()))
                .add(new StunAttribute.Realm("firezone"))
                .add(new StunAttribute.Nonce(client.nonce));
        return StunEncoder.encode(message.build(), MessageProtection.integrity(client.key()));
    }
}

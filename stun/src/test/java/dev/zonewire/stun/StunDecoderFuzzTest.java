package dev.zonewire.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** Fuzzes the STUN and ChannelData parsers: no input may throw, and what decodes re-encodes to the same message. */
class StunDecoderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void decodingNeverThrowsAndDecodedMessagesRoundTrip(byte[] datagram) {
        StunDecodeResult result = StunDecoder.decode(datagram);

        if (result instanceof StunDecodeResult.Decoded decoded) {
            ReceivedStunMessage received = decoded.received();
            received.verifyFingerprint();
            received.verifyMessageIntegrity(IntegrityKey.shortTerm(dev.zonewire.common.Secret.of("key")));
            received.verifyMessageIntegritySha256(IntegrityKey.shortTerm(dev.zonewire.common.Secret.of("key")));
            StunDecodeResult again = StunDecoder.decode(StunEncoder.encode(received.message()));
            assertThat(again).isInstanceOfSatisfying(StunDecodeResult.Decoded.class,
                    reDecoded -> assertThat(reDecoded.message()).isEqualTo(received.message()));
        }
        ChannelData.parse(ByteBuffer.wrap(datagram), ChannelData.MIN_CHANNEL, 0x7FFF);
    }
}

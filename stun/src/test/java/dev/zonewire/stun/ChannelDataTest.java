package dev.zonewire.stun;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.zonewire.stun.Rfc5769VectorsTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

class ChannelDataTest {

    @Property
    void encodedFramesParseBackToTheirChannelAndPayload(@ForAll @IntRange(min = 0x4000, max = 0x4FFF) int channel,
                                                       @ForAll @Size(max = 1500) byte[] payload,
                                                       @ForAll boolean pad) {
        byte[] frame = ChannelData.encode(channel, payload, pad);

        assertThat(ChannelData.parse(frame)).contains(new ChannelData.Frame(channel, payload));
        assertThat(frame.length % 4 == 0 || !pad).isTrue();
    }

    @Test
    void paddingAndTrailingBytesAreIgnored() {
        ByteBuffer padded = ByteBuffer.wrap(hex("40000005 68656c6c6f 000000"));

        assertThat(ChannelData.payloadLength(padded)).isEqualTo(5);
        assertThat(ChannelData.parse(padded.array())).contains(new ChannelData.Frame(0x4000, "hello".getBytes()));
    }

    @Test
    void shortDatagramsAreRejected() {
        assertThat(ChannelData.payloadLength(ByteBuffer.wrap(hex("400000")))).isEqualTo(-1);
        assertThat(ChannelData.payloadLength(ByteBuffer.wrap(hex("40000005 68656c6c")))).isEqualTo(-1);
    }

    @Test
    void channelNumbersOutsideTheRangeAreRejected() {
        assertThat(ChannelData.payloadLength(ByteBuffer.wrap(hex("50000000")))).isEqualTo(-1);
        assertThat(ChannelData.payloadLength(ByteBuffer.wrap(hex("3fff0000")))).isEqualTo(-1);
        assertThat(ChannelData.parse(hex("80000000"))).isEmpty();
        assertThat(ChannelData.payloadLength(ByteBuffer.wrap(hex("80000000")), 0x4000, ChannelData.MAX_CHANNEL_RFC5766)).isEqualTo(-1);
    }

    @Test
    void aClientMayAcceptTheWiderRangeSnownetAccepts() {
        assertThat(ChannelData.payloadLength(ByteBuffer.wrap(hex("7fff0000")), 0x4000, 0x7FFF)).isZero();
    }

    @Test
    void emptyPayloadRoundTrips() {
        assertThat(ChannelData.parse(ChannelData.encode(0x4FFF, new byte[0], false)))
                .contains(new ChannelData.Frame(0x4FFF, new byte[0]));
    }

    @Test
    void headerIsWrittenInPlace() {
        ByteBuffer buffer = ByteBuffer.allocate(9);
        buffer.put(4, "hello".getBytes());

        ChannelData.writeHeader(buffer, 0, 0x4001, 5);

        assertThat(buffer.array()).isEqualTo(hex("40010005 68656c6c6f"));
    }

    @Test
    void invalidChannelCannotBeEncoded() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ChannelData.encode(0x8000, new byte[0], false));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ChannelData.encode(0x3FFF, new byte[0], false));
    }
}

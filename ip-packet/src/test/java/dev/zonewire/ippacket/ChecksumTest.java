package dev.zonewire.ippacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The Internet checksum against the worked examples of RFC 1071 and RFC 1624. */
class ChecksumTest {

    @Test
    void theRfc1071ExampleSumsToDdf2() {
        ByteBuffer data = ByteBuffer.wrap(HexFormat.of().parseHex("0001f203f4f5f6f7"));

        assertThat(Checksum.fold(Checksum.sum(data, 0, 8))).isEqualTo(0xddf2);
        assertThat(Checksum.finish(Checksum.sum(data, 0, 8))).isEqualTo(0x220d);
    }

    @Test
    void anOddLengthIsPaddedWithAZeroByte() {
        ByteBuffer data = ByteBuffer.wrap(HexFormat.of().parseHex("0001f203f4f5f6f7ab"));

        assertThat(Checksum.fold(Checksum.sum(data, 0, 9))).isEqualTo(Checksum.fold(0xddf2 + 0xab00));
    }

    @Test
    void theSumDoesNotDependOnWhereTheRangeStarts() {
        byte[] bytes = HexFormat.of().parseHex("00000001f203f4f5f6f7aa");
        ByteBuffer data = ByteBuffer.wrap(bytes);

        assertThat(Checksum.fold(Checksum.sum(data, 2, 8))).isEqualTo(0xddf2);
    }

    /** RFC 1624 section 4: other header words sum to 0xCD7A; a field changes from 0x5555 to 0x3285. */
    @Test
    void equationThreeOfRfc1624GivesZeroWhereRecomputationDoes() {
        int checksum = Checksum.finish(0xCD7A + 0x5555);
        assertThat(checksum).isEqualTo(0xDD2F);

        int updated = Checksum.adjust(checksum, Checksum.replaced16(0x5555, 0x3285));

        assertThat(updated).isEqualTo(0x0000);
        assertThat(updated).isEqualTo(Checksum.finish(0xCD7A + 0x3285));
    }

    @Test
    void adjustingByTheChangeOfThirtyTwoBitsEqualsTwoSixteenBitSteps() {
        int checksum = 0x1c46;

        int once = Checksum.adjust(checksum, Checksum.replaced32(0x0a000001, 0xc0a80101));
        int twice = Checksum.adjust(Checksum.adjust(checksum, Checksum.replaced16(0x0a00, 0xc0a8)),
                Checksum.replaced16(0x0001, 0x0101));

        assertThat(once).isEqualTo(twice);
    }

    @Test
    void aSumThatIncludesACorrectChecksumVerifies() {
        ByteBuffer header = ByteBuffer.wrap(HexFormat.of().parseHex("45000073000040004011b861c0a80001c0a800c7"));

        assertThat(Checksum.verifies(Checksum.sum(header, 0, 20))).isTrue();
        header.put(8, (byte) 0x3f);
        assertThat(Checksum.verifies(Checksum.sum(header, 0, 20))).isFalse();
    }
}

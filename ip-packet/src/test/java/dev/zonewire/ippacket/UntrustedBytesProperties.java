package dev.zonewire.ippacket;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random bytes, and real packets with random bytes overwritten, survive everything a driver does
 * with them (see {@link PacketExerciser}); the fuzz test does the same from its corpus.
 */
class UntrustedBytesProperties {

    private final PacketExerciser exerciser = new PacketExerciser();

    @Property
    void randomBytesNeverThrow(@ForAll("randomBytes") byte[] data) {
        exerciser.exercise(data);
    }

    @Property(tries = 3000)
    void corruptedRealPacketsNeverThrow(@ForAll("corruptedPackets") byte[] data) {
        exerciser.exercise(data);
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        Arbitrary<byte[]> ipv4Looking = Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(bytes -> withFirstByte(bytes, 0x45));
        Arbitrary<byte[]> ipv6Looking = Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(bytes -> withFirstByte(bytes, 0x60));
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(1400), ipv4Looking, ipv6Looking);
    }

    /** A captured or built packet with a few bytes overwritten, and maybe cut short. */
    @Provide
    Arbitrary<byte[]> corruptedPackets() {
        Arbitrary<byte[]> originals = Arbitraries.oneOf(
                Arbitraries.of(CapturedPackets.ALL).map(HexFormat.of()::parseHex),
                PacketSpec.packets(300).map(PacketSpec::toBytes));
        Arbitrary<List<int[]>> overwrites = Combinators.combine(
                        Arbitraries.integers().between(0, 400), Arbitraries.integers().between(0, 255))
                .as((index, value) -> new int[] {index, value})
                .list().ofMaxSize(4);
        return Combinators.combine(originals, overwrites, Arbitraries.integers().between(0, 400))
                .as(UntrustedBytesProperties::corrupt);
    }

    private static byte[] corrupt(byte[] original, List<int[]> overwrites, int cut) {
        byte[] bytes = original.clone();
        for (int[] overwrite : overwrites) {
            if (overwrite[0] < bytes.length) {
                bytes[overwrite[0]] = (byte) overwrite[1];
            }
        }
        return cut < bytes.length && cut % 3 == 0 ? Arrays.copyOf(bytes, cut) : bytes;
    }

    private static byte[] withFirstByte(byte[] bytes, int first) {
        if (bytes.length > 0) {
            bytes[0] = (byte) first;
        }
        return bytes;
    }
}

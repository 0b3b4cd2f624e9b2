package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.platform.linux.IpPrefix;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Longest-prefix match against a plain model: every entry checked, the longest covering prefix wins. */
class AllowedIpsTest {
    private static final List<String> PEERS = List.of("alice", "bob", "carol");

    record Entry(IpPrefix prefix, String peer) {
    }

    @Property(tries = 300)
    void findsThePeerOfTheLongestCoveringPrefix(@ForAll("entries") @Size(max = 40) List<Entry> entries,
            @ForAll("addresses") @Size(max = 60) List<byte[]> addresses) {
        AllowedIps.Builder<String> builder = AllowedIps.<String>empty().toBuilder();
        Map<IpPrefix, String> model = new LinkedHashMap<>();
        for (Entry entry : entries) {
            builder.add(entry.prefix(), entry.peer());
            model.put(entry.prefix().network(), entry.peer());
        }
        AllowedIps<String> table = builder.build();

        for (byte[] address : addresses) {
            assertThat(lookup(table, address)).as("lookup of %s in %s", text(address), model).isEqualTo(expected(model, address));
        }
    }

    @Property(tries = 200)
    void removingAPeerLeavesTheOthersAsTheModelHasThem(@ForAll("entries") @Size(max = 40) List<Entry> entries,
            @ForAll("addresses") @Size(max = 40) List<byte[]> addresses) {
        AllowedIps.Builder<String> builder = AllowedIps.<String>empty().toBuilder();
        Map<IpPrefix, String> model = new LinkedHashMap<>();
        for (Entry entry : entries) {
            builder.add(entry.prefix(), entry.peer());
            model.put(entry.prefix().network(), entry.peer());
        }

        AllowedIps<String> table = builder.removePeer("bob").build();
        model.values().removeIf("bob"::equals);

        assertThat(table.entries()).isEqualTo(model);
        for (byte[] address : addresses) {
            assertThat(lookup(table, address)).isEqualTo(expected(model, address));
        }
    }

    @Test
    void aPrefixGivenToAnotherPeerMovesToIt() {
        AllowedIps<String> table = AllowedIps.<String>empty().toBuilder()
                .add(IpPrefix.parse("10.0.0.0/8"), "alice")
                .add(IpPrefix.parse("10.0.0.0/8"), "bob")
                .build();

        assertThat(table.lookupIpv4(0x0a010203)).isEqualTo("bob");
        assertThat(table.prefixesOf("alice")).isEmpty();
    }

    @Test
    void aPrefixIsRemovedOnlyFromItsOwner() {
        AllowedIps<String> table = AllowedIps.<String>empty().toBuilder()
                .add(IpPrefix.parse("10.0.0.0/8"), "alice")
                .remove(IpPrefix.parse("10.0.0.0/8"), "bob")
                .build();

        assertThat(table.lookupIpv4(0x0a010203)).isEqualTo("alice");
    }

    @Test
    void hostBitsOfAPrefixAreCleared() {
        AllowedIps<String> table = AllowedIps.<String>empty().toBuilder()
                .add(IpPrefix.parse("10.1.2.3/16"), "alice")
                .add(IpPrefix.parse("fd00::1/64"), "bob")
                .build();

        assertThat(table.entries()).containsOnlyKeys(IpPrefix.parse("10.1.0.0/16"), IpPrefix.parse("fd00::/64"));
        assertThat(table.lookupIpv4(0x0a01ffff)).isEqualTo("alice");
    }

    @Test
    void packetsAreRoutedByDestinationAndCheckedBySource() {
        AllowedIps<String> table = AllowedIps.<String>empty().toBuilder()
                .add(IpPrefix.parse("10.0.0.0/24"), "alice")
                .add(IpPrefix.parse("10.0.0.7/32"), "bob")
                .add(IpPrefix.parse("fd00::/64"), "carol")
                .build();
        byte[] ipv4 = new byte[20];
        ipv4[0] = 0x45;
        System.arraycopy(new byte[] {10, 0, 0, 7}, 0, ipv4, 12, 4);
        System.arraycopy(new byte[] {10, 0, 0, 9}, 0, ipv4, 16, 4);
        byte[] ipv6 = new byte[40];
        ipv6[0] = 0x60;
        System.arraycopy(InetAddress.ofLiteral("fd00::5").getAddress(), 0, ipv6, 24, 16);

        assertThat(table.forDestination(ipv4, 0, ipv4.length)).isEqualTo("alice");
        assertThat(table.forSource(ipv4, 0, ipv4.length)).isEqualTo("bob");
        assertThat(table.forDestination(ipv6, 0, ipv6.length)).isEqualTo("carol");
        assertThat(table.forSource(ipv6, 0, ipv6.length)).isNull();
    }

    @Test
    void truncatedPacketsAndOtherVersionsHaveNoPeer() {
        AllowedIps<String> table = AllowedIps.<String>empty().toBuilder()
                .add(IpPrefix.parse("0.0.0.0/0"), "alice")
                .add(IpPrefix.parse("::/0"), "bob")
                .build();
        byte[] packet = new byte[40];

        packet[0] = 0x45;
        assertThat(table.forDestination(packet, 0, 19)).isNull();
        packet[0] = 0x60;
        assertThat(table.forDestination(packet, 0, 39)).isNull();
        packet[0] = 0x20;
        assertThat(table.forDestination(packet, 0, 40)).isNull();
        assertThat(table.forDestination(packet, 0, 0)).isNull();
    }

    @Provide
    Arbitrary<List<Entry>> entries() {
        return entry().list();
    }

    private Arbitrary<Entry> entry() {
        Arbitrary<IpPrefix> ipv4 = Combinators.combine(address(4), Arbitraries.integers().between(0, 32))
                .as((bytes, length) -> new IpPrefix(Addresses.byAddress(bytes), length));
        Arbitrary<IpPrefix> ipv6 = Combinators.combine(address(16), Arbitraries.integers().between(0, 128))
                .as((bytes, length) -> new IpPrefix(Addresses.byAddress(bytes), length));
        return Combinators.combine(Arbitraries.oneOf(ipv4, ipv6), Arbitraries.of(PEERS)).as(Entry::new);
    }

    @Provide
    Arbitrary<List<byte[]>> addresses() {
        return Arbitraries.oneOf(address(4), address(16)).list();
    }

    /** Addresses drawn from few leading values, so that prefixes and addresses overlap often. */
    private static Arbitrary<byte[]> address(int length) {
        return Arbitraries.integers().between(0, 3).list().ofSize(length).map(values -> {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) (values.get(i) * 0x40 + (i % 3));
            }
            return bytes;
        }).edgeCases(edges -> edges.add(new byte[length]));
    }

    private static String lookup(AllowedIps<String> table, byte[] address) {
        if (address.length == 4) {
            return table.lookupIpv4(ByteBuffer.wrap(address).getInt());
        }
        ByteBuffer buffer = ByteBuffer.wrap(address);
        return table.lookupIpv6(buffer.getLong(), buffer.getLong());
    }

    private static String expected(Map<IpPrefix, String> model, byte[] address) {
        String best = null;
        int bestLength = -1;
        for (Map.Entry<IpPrefix, String> entry : model.entrySet()) {
            IpPrefix prefix = entry.getKey();
            byte[] network = prefix.address().getAddress();
            if (network.length == address.length && prefix.length() > bestLength
                    && covers(network, prefix.length(), address)) {
                best = entry.getValue();
                bestLength = prefix.length();
            }
        }
        return best;
    }

    private static boolean covers(byte[] network, int length, byte[] address) {
        int bits = address.length * 8;
        BigInteger mask = length == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(length).subtract(BigInteger.ONE).shiftLeft(bits - length);
        return new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
    }

    private static String text(byte[] address) {
        return Addresses.byAddress(address).getHostAddress();
    }
}

package dev.zonewire.relay.driver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressCacheTest {
    private final AddressCache cache = new AddressCache(64);

    @Test
    void aRepeatedSourceGivesTheSameInstance() throws Exception {
        byte[] ip = {(byte) 192, 0, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

        InetSocketAddress first = cache.get(ip, 4, 5000);
        InetSocketAddress again = cache.get(ip, 4, 5000);

        assertThat(again).isSameAs(first).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5000));
    }

    @Test
    void addressesDifferingInPortFamilyOrBytesAreNotConfused() throws Exception {
        byte[] ip6 = InetAddress.getByName("2001:db8::7").getAddress();
        byte[] ip4 = {32, 1, 13, (byte) 184};

        assertThat(cache.get(ip6, 16, 5000)).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 5000));
        assertThat(cache.get(ip6, 16, 5001)).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 5001));
        assertThat(cache.get(ip6, 4, 5000)).isEqualTo(new InetSocketAddress(InetAddress.getByName("32.1.13.184"), 5000));
        assertThat(cache.get(ip4, 4, 5000)).isEqualTo(new InetSocketAddress(InetAddress.getByName("32.1.13.184"), 5000));
    }

    @Test
    void manyMoreSourcesThanEntriesStillGiveCorrectAddressesWithoutGrowing() throws Exception {
        Set<InetSocketAddress> distinct = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] ip = {10, (byte) (i >> 8), (byte) i, 1};
            InetSocketAddress address = cache.get(ip, 4, 1000 + i % 7);
            assertThat(address).isEqualTo(new InetSocketAddress(InetAddress.getByAddress(ip), 1000 + i % 7));
            distinct.add(address);
        }

        assertThat(distinct).hasSize(10_000);
    }
}

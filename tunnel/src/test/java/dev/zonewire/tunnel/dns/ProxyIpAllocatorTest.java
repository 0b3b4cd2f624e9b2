package dev.zonewire.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.net.IpLiterals;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProxyIpAllocatorTest {
    private static final UUID RESOURCE = UUID.fromString("619fbe83-bc95-4635-9a08-68da9a944c88");
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theFirstNameGetsTheFirstFourAddressesOfEachRangeAsInTheSpecExample() {
        ProxyIpAllocator allocator = new ProxyIpAllocator();

        ProxyIps ips = allocator.assign("app.example.com", RESOURCE, 0);

        assertThat(ips.all()).extracting(IpLiterals::format).containsExactly(
                "100.96.0.1", "100.96.0.2", "100.96.0.3", "100.96.0.4",
                "fd00:2021:1111:8000::", "fd00:2021:1111:8000::1", "fd00:2021:1111:8000::2", "fd00:2021:1111:8000::3");
    }

    @Test
    void theNextNameGetsTheNextBlockAndTheSameNameKeepsItsBlock() {
        ProxyIpAllocator allocator = new ProxyIpAllocator();
        ProxyIps first = allocator.assign("a.example.com", RESOURCE, 0);

        ProxyIps second = allocator.assign("b.example.com", RESOURCE, 0);
        ProxyIps again = allocator.assign("a.example.com", RESOURCE, 5 * SECOND);

        assertThat(second.ipv4().getFirst()).isEqualTo(IpLiterals.parse("100.96.0.5"));
        assertThat(second.ipv6().getFirst()).isEqualTo(IpLiterals.parse("fd00:2021:1111:8000::4"));
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aLaterQueryUnderAnotherResourceRetagsTheSameAddresses() {
        ProxyIpAllocator allocator = new ProxyIpAllocator();
        ProxyIps first = allocator.assign("a.example.com", RESOURCE, 0);
        UUID other = UUID.randomUUID();

        ProxyIps retagged = allocator.assign("a.example.com", other, 0);

        assertThat(retagged.all()).isEqualTo(first.all());
        assertThat(allocator.byAddress(first.ipv4().getFirst()).resourceId()).isEqualTo(other);
    }

    @Test
    void everyAddressLeadsBackToItsName() {
        ProxyIpAllocator allocator = new ProxyIpAllocator();
        ProxyIps ips = allocator.assign("a.example.com", RESOURCE, 0);

        assertThat(ips.all()).allSatisfy(address -> assertThat(allocator.byAddress(address).name()).isEqualTo("a.example.com"));
        assertThat(allocator.byAddress(IpLiterals.parse("100.96.0.9"))).isNull();
    }

    @Test
    void allocationSkipsTheSentinelRangeInsideTheIpv4Pool() {
        ProxyIpAllocator allocator = new ProxyIpAllocator(ProxyIpAllocator.POOL_BLOCKS, 0);
        ProxyIps beforeSentinels = null;
        ProxyIps afterSentinels = null;
        // 100.100.110.255 is host number 290559 of the /11, the last one before the sentinel /24.
        for (int block = 0; block <= 72640; block++) {
            ProxyIps ips = allocator.assign("n" + block + ".example.com", RESOURCE, 0);
            if (block == 72639) {
                beforeSentinels = ips;
            }
            afterSentinels = ips;
        }

        assertThat(beforeSentinels.ipv4()).extracting(IpLiterals::format)
                .containsExactly("100.100.110.253", "100.100.110.254", "100.100.110.255", "100.100.112.0");
        assertThat(afterSentinels.ipv4()).extracting(IpLiterals::format)
                .containsExactly("100.100.112.1", "100.100.112.2", "100.100.112.3", "100.100.112.4");
    }

    @Test
    void aFullTableRefusesANewNameUntilTheLeastRecentlyUsedOneMayBeReused() {
        ProxyIpAllocator allocator = new ProxyIpAllocator(2, 60 * SECOND);
        ProxyIps a = allocator.assign("a.example.com", RESOURCE, 0);
        allocator.assign("b.example.com", RESOURCE, 10 * SECOND);

        ProxyIps tooEarly = allocator.assign("c.example.com", RESOURCE, 30 * SECOND);
        ProxyIps reused = allocator.assign("c.example.com", RESOURCE, 60 * SECOND);

        assertThat(tooEarly).isNull();
        assertThat(reused.all()).isEqualTo(a.all());
        assertThat(allocator.pollRecycled()).isEqualTo("a.example.com");
        assertThat(allocator.byAddress(a.ipv4().getFirst()).name()).isEqualTo("c.example.com");
        assertThat(allocator.size()).isEqualTo(2);
    }

    @Test
    void trafficToAProxyAddressKeepsItsNameFromBeingReused() {
        ProxyIpAllocator allocator = new ProxyIpAllocator(1, 60 * SECOND);
        ProxyIps a = allocator.assign("a.example.com", RESOURCE, 0);

        var last = dev.zonewire.ippacket.Ipv6Address.of(a.ipv6().getLast());
        allocator.markUsed(6, last.high(), last.low(), 50 * SECOND);

        assertThat(allocator.assign("b.example.com", RESOURCE, 100 * SECOND)).isNull();
        assertThat(allocator.assign("b.example.com", RESOURCE, 110 * SECOND)).isNotNull();
    }
}

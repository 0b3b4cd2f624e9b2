package dev.zonewire.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.tunnel.net.IpLiterals;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsSentinelsTest {
    private static final InetSocketAddress CLOUDFLARE = new InetSocketAddress(IpLiterals.parse("1.1.1.1"), 53);
    private static final InetSocketAddress CLOUDFLARE_V6 = new InetSocketAddress(IpLiterals.parse("2606:4700:4700::1111"), 53);

    private final DnsSentinels sentinels = new DnsSentinels();

    @Test
    void eachPortalUpstreamGetsASentinelOfItsFamilyInOrder() {
        boolean changed = sentinels.update(List.of(CLOUDFLARE, CLOUDFLARE_V6), List.of(IpLiterals.parse("9.9.9.9")));

        assertThat(changed).isTrue();
        assertThat(sentinels.fromPortal()).isTrue();
        assertThat(sentinels.upstreamFor(IpLiterals.parse("100.100.111.1"))).isEqualTo(CLOUDFLARE);
        assertThat(sentinels.upstreamFor(IpLiterals.parse("fd00:2021:1111:8000:100:100:111:0"))).isEqualTo(CLOUDFLARE_V6);
    }

    @Test
    void withoutPortalUpstreamsTheSystemResolversAreUsedOnPort53() {
        sentinels.update(List.of(), List.of(IpLiterals.parse("9.9.9.9")));

        assertThat(sentinels.fromPortal()).isFalse();
        assertThat(sentinels.mapping().values()).containsExactly(new InetSocketAddress(IpLiterals.parse("9.9.9.9"), 53));
    }

    @Test
    void sentinelAddressesAreNeverUpstreams() {
        sentinels.update(List.of(new InetSocketAddress(IpLiterals.parse("100.100.111.7"), 53)),
                List.of(IpLiterals.parse("100.100.111.1"), IpLiterals.parse("9.9.9.9")));

        assertThat(sentinels.mapping().values()).containsExactly(new InetSocketAddress(IpLiterals.parse("9.9.9.9"), 53));
    }

    @Test
    void theSameServersLeaveTheMappingAlone() {
        sentinels.update(List.of(CLOUDFLARE), List.of());

        assertThat(sentinels.update(List.of(CLOUDFLARE), List.of(IpLiterals.parse("8.8.8.8")))).isFalse();
    }

    @Test
    void newServersGetSentinelsThePreviousMappingDidNotUse() {
        sentinels.update(List.of(CLOUDFLARE), List.of());

        sentinels.update(List.of(new InetSocketAddress(IpLiterals.parse("8.8.8.8"), 53), CLOUDFLARE), List.of());

        assertThat(sentinels.sentinels()).extracting(IpLiterals::format).containsExactly("100.100.111.2", "100.100.111.3");
    }

    @Test
    void noServersAtAllMeansNoSentinels() {
        sentinels.update(List.of(CLOUDFLARE), List.of());

        assertThat(sentinels.update(List.of(), List.of())).isTrue();
        assertThat(sentinels.sentinels()).isEmpty();
    }
}

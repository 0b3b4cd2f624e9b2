package dev.zonewire.phoenix.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.phoenix.client.ChannelEvent;
import dev.zonewire.phoenix.client.HostResolver;
import dev.zonewire.phoenix.client.PortalChannel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The real driver connects to the addresses the core chose, in order, under the portal's name;
 * when DNS fails later it reconnects to the last good addresses.
 */
class PortalAddressesTest {
    private static final String PORTAL_NAME = "portal.zw-phx.test";

    @Test
    void aRefusingFirstAddressIsSkippedForTheNextOne() throws Exception {
        var asked = new AtomicInteger();
        HostResolver resolver = host -> {
            asked.incrementAndGet();
            assertThat(host).isEqualTo(PORTAL_NAME);
            // Nothing listens on 127.0.0.2, so the kernel refuses it at once.
            return List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1"));
        };
        try (var portal = new LoopbackPortal().start()) {
            var events = new EventRecorder();
            try (var channel = PortalChannel.start(Relays.config(), Relays.url(PORTAL_NAME, portal.port(), LoopbackPortal.GOOD_TOKEN), resolver, events)) {
                events.await(ChannelEvent.Joined.class, 1);

                assertThat(asked.get()).isEqualTo(1);
                assertThat(events.count(ChannelEvent.Disconnected.class)).isZero();
                assertThat(channel.isJoined()).isTrue();
            }
        }
    }

    @Test
    void whenDnsFailsAfterAnOutageTheLastGoodAddressesAreUsed() throws Exception {
        var dnsDown = new AtomicBoolean();
        HostResolver resolver = host -> {
            if (dnsDown.get()) {
                throw new UnknownHostException("resolver unreachable");
            }
            return List.of(InetAddress.getByName("127.0.0.1"));
        };
        try (var portal = new LoopbackPortal().start()) {
            var events = new EventRecorder();
            try (var channel = PortalChannel.start(Relays.config(), Relays.url(PORTAL_NAME, portal.port(), LoopbackPortal.GOOD_TOKEN), resolver, events)) {
                events.await(ChannelEvent.Joined.class, 1);

                dnsDown.set(true);
                portal.stop();
                events.await(ChannelEvent.Disconnected.class, 1);
                portal.start();
                events.await(ChannelEvent.Joined.class, 2);

                assertThat(channel.stats().dnsFallbacks()).isPositive();
                assertThat(events.count(ChannelEvent.Failed.class)).isZero();
            }
        }
    }
}

package dev.zonewire.phoenix.client;

import static dev.zonewire.phoenix.client.SimulatedPortal.MINUTE;
import static dev.zonewire.phoenix.client.SimulatedPortal.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Beyond the reference (spec 2.6): the host is resolved on every attempt, with the last good addresses as fallback. */
class DnsFallbackTest {

    private static List<List<InetSocketAddress>> openedAddresses(SimulatedPortal portal) {
        return portal.actions.stream()
                .filter(a -> a.what() instanceof DriverAction.Open)
                .map(a -> ((DriverAction.Open) a.what()).addresses()).toList();
    }

    private static List<InetSocketAddress> sockets(String... literals) {
        return java.util.Arrays.stream(literals).map(l -> new InetSocketAddress(SimulatedPortal.address(l), 443)).toList();
    }

    @Test
    void everyAttemptResolvesTheHostAgainAndUsesTheNewAddresses() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 40);
        portal.client.connect(0);
        portal.runUntil(MINUTE);

        portal.dnsAnswer = List.of(SimulatedPortal.address("198.51.100.20"));
        portal.dropConnection("portal moved");
        portal.advanceBy(seconds(1));

        assertThat(portal.actions).filteredOn(a -> a.what() instanceof DriverAction.Resolve).hasSize(2)
                .allSatisfy(a -> assertThat(((DriverAction.Resolve) a.what()).host()).isEqualTo("portal.example.test"));
        assertThat(openedAddresses(portal)).containsExactly(sockets("192.0.2.10", "2001:db8::10"), sockets("198.51.100.20"));
    }

    @Test
    void aFailedResolutionFallsBackToTheAddressesOfTheLastConnection() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 41);
        portal.client.connect(0);
        portal.runUntil(MINUTE);

        portal.dnsError = "SERVFAIL";
        portal.dropConnection("blip");
        portal.advanceBy(seconds(1));

        assertThat(openedAddresses(portal)).containsExactly(sockets("192.0.2.10", "2001:db8::10"), sockets("192.0.2.10", "2001:db8::10"));
        assertThat(portal.client.isJoined()).isTrue();
        assertThat(portal.client.stats().dnsFallbacks()).isEqualTo(1);
    }

    @Test
    void anEmptyAnswerFallsBackToo() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 42);
        portal.client.connect(0);
        portal.runUntil(MINUTE);

        portal.dnsAnswer = List.of();
        portal.dropConnection("blip");
        portal.advanceBy(seconds(1));

        assertThat(openedAddresses(portal)).hasSize(2);
        assertThat(portal.client.isJoined()).isTrue();
    }

    @Test
    void aResolverThatHangsFallsBackAfterTheResolveTimeout() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 43);
        portal.client.connect(0);
        portal.runUntil(MINUTE);

        portal.dnsHangs = true;
        portal.dropConnection("blip");
        long droppedAt = portal.now;
        portal.advanceBy(seconds(10));

        assertThat(portal.openTimes()).hasSize(2);
        long resolveStarted = portal.actions.stream().filter(a -> a.what() instanceof DriverAction.Resolve).toList().getLast().at();
        assertThat(portal.openTimes().getLast()).isEqualTo(resolveStarted + seconds(5));
        assertThat(resolveStarted).isGreaterThan(droppedAt);
    }

    @Test
    void withoutAnyGoodAddressAFailedResolutionIsATransientErrorThatIsRetried() {
        var portal = new SimulatedPortal(BackoffPolicy.relay(), 44);
        portal.dnsError = "NXDOMAIN";
        portal.client.connect(0);
        portal.runUntil(seconds(3));

        assertThat(portal.openTimes()).isEmpty();
        assertThat(portal.disconnects()).hasSizeGreaterThan(1)
                .allSatisfy(d -> assertThat(d.what().cause()).isEqualTo("failed to resolve portal.example.test: NXDOMAIN"));

        portal.dnsError = null;
        portal.runUntil(MINUTE);
        assertThat(portal.client.isJoined()).isTrue();
    }
}

package dev.zonewire.relay.peers;

import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;
import dev.zonewire.stun.RelayCredentials;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * coturn's turnutils_uclient, with credentials from our generator, relays through our relay to
 * turnutils_peer over channels, with no packet lost, on IPv4 and on IPv6 loopback.
 */
class CoturnClientInteropTest {
    private static final Pattern SENT = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)\\s*$", Pattern.MULTILINE);

    @Test
    void uclientRelaysThroughUsOverIpv4WithoutLoss() throws Exception {
        runUclient(InetAddress.getByName("127.0.0.1"), false);
    }

    @Test
    void uclientRelaysThroughUsOverIpv6WithoutLoss() throws Exception {
        runUclient(InetAddress.getByName("::1"), true);
    }

    private static void runUclient(InetAddress loopback, boolean ipv6) throws Exception {
        RelayConfig config = ipv6
                ? RelayConfig.of(null, (Inet6Address) loopback).withBind(null, loopback)
                : RelayConfig.of((Inet4Address) loopback, null).withBind(loopback, null);
        try (RelayDaemon relay = RelayDaemon.start(config.withListenPort(0).withHttp(null, null))) {
            RelayCredentials.Issued credentials = RelayCredentials.issue(relay.stampSecret(),
                    Instant.now().plus(Duration.ofHours(1)), new Random());
            String host = loopback.getHostAddress();
            int peerPort = ExternalProcess.freeUdpPort(loopback);
            try (ExternalProcess peer = ExternalProcess.start(List.of("turnutils_peer", "-L", host, "-p", Integer.toString(peerPort)))) {
                Thread.sleep(300);
                List<String> command = new ArrayList<>(List.of("turnutils_uclient",
                        "-u", credentials.username().toString(), "-w", credentials.password().expose(),
                        "-p", Integer.toString(relay.listenPort()), "-e", host, "-r", Integer.toString(peerPort),
                        "-n", "300", "-m", "4", "-l", "120", "-z", "5", "-c", "-L", host));
                if (ipv6) {
                    command.add("-x");
                }
                command.add(host);

                String output = ExternalProcess.run(command, Duration.ofSeconds(60));

                assertThat(output).as(output).contains("Total lost packets 0 (0.000000%)");
                Matcher totals = SENT.matcher(output);
                assertThat(totals.find()).as(output).isTrue();
                assertThat(Integer.parseInt(totals.group(1))).isEqualTo(1200).isEqualTo(Integer.parseInt(totals.group(2)));
                Thread.sleep(1500);
                assertThat(relay.stats().clientToPeerPackets()).as("published counters").isGreaterThanOrEqualTo(1200);
            }
        }
    }
}

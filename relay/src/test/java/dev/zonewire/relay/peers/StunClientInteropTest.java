package dev.zonewire.relay.peers;

import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's stun client (an RFC 3489 client from the stun-client package) gets a Binding answer from our relay. */
class StunClientInteropTest {

    @Test
    void classicStunClientGetsItsMappedAddress() throws Exception {
        Inet4Address loopback = (Inet4Address) InetAddress.getLoopbackAddress();
        try (RelayDaemon relay = RelayDaemon.start(RelayConfig.of(loopback, null).withBind(loopback, null)
                .withListenPort(0).withHttp(null, null))) {

            String output = ExternalProcess.run(List.of("stun", "127.0.0.1:" + relay.listenPort(), "-v"), Duration.ofSeconds(20));

            assertThat(output).contains("test I = 1").contains("mapped IP same = 1");
        }
    }
}

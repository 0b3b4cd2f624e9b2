package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardPeer;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * Fuzzes the UAPI: any bytes a client sends get answers or a hang-up, never an exception, and
 * leave a consistent interface (every allowed IP belongs to a peer the tunnel has, and a get
 * still works). Each input talks to a fresh interface.
 */
class UapiFuzzTest {
    private static final PrivateKey KEY = PrivateKey.generate(new Random(5));

    @FuzzTest(maxDuration = "20s")
    void uapiConversations(byte[] input) {
        WireGuardTunnel tunnel = new WireGuardTunnel(KEY, TunnelSettings.DEFAULTS, new Random(6), Instant.EPOCH, 0);
        DeviceState state = new DeviceState(tunnel, (port, mark) -> port == 1 ? refuse() : port, 51820, 0);
        UapiConnection.Device device = new UapiConnection.Device() {
            @Override
            public <T> T locked(Function<DeviceState, T> action) {
                return action.apply(state);
            }
        };
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        try {
            new UapiConnection(new ByteArrayInputStream(input), output, device, new ReentrantReadWriteLock()).serve();
        } catch (IOException e) {
            // a get cut off by the end of the input: the client went away
        }

        assertThat(tunnel.peers()).containsAll(state.allowedIps().entries().values());
        assertThat(output.toString(StandardCharsets.US_ASCII)).matches("(?s)(.*errno=-?[0-9]+\n\n)?");
        assertThat(Uapi.get(state)).startsWith("private_key=");
        for (WireGuardPeer peer : tunnel.peers()) {
            assertThat(state.allowedIps().prefixesOf(peer)).allMatch(prefix -> prefix.equals(prefix.network()));
        }
    }

    private static int refuse() throws IOException {
        throw new IOException("bind UDP socket to 0.0.0.0:1: Address already in use (EADDRINUSE)");
    }
}

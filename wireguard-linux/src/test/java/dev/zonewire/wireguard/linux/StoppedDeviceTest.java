package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.platform.linux.Errno;
import dev.zonewire.platform.linux.IpPrefix;
import dev.zonewire.wireguard.PrivateKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed device stays closed: a UAPI request still in flight that changes the port or mark must
 * not leave a UDP socket behind that nobody closes, and a configuration is refused rather than
 * applied to a tunnel that no longer runs. Runs in a namespace of its own, {@code zw-rvw-<id>};
 * needs root.
 */
class StoppedDeviceTest {
    private static final int PORT = 51830;
    private static final int OTHER_PORT = 51831;

    @TempDir
    Path socketDirectory;

    private String namespace;
    private WireGuardDevice device;

    @BeforeEach
    void startADevice() throws Exception {
        String id = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        namespace = "zw-rvw-" + id;
        ip("netns", "add", namespace);
        device = WireGuardDevice.start(DeviceOptions.of("zw-rvw-" + id + "-wg", PrivateKey.generate(new SecureRandom()))
                .withListenPort(PORT).inNamespace(namespace).withSocketDirectory(socketDirectory));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (device != null) {
            device.close();
        }
        ip("netns", "del", namespace);
    }

    @Test
    void aPortChangeAfterCloseIsRefusedAndBindsNothing() throws Exception {
        device.close();

        int errno = device.locked(state -> new Uapi.SetOperation(state).apply("listen_port=" + OTHER_PORT, 0));

        assertThat(errno).isEqualTo(-Errno.EADDRINUSE);
        assertPortFree(OTHER_PORT);
        assertPortFree(PORT);
    }

    @Test
    void aMarkChangeAfterCloseIsRefusedAndBindsNothing() throws Exception {
        device.close();

        assertThatThrownBy(() -> device.setFirewallMark(0x1234)).isInstanceOf(IOException.class);
        assertPortFree(PORT);
    }

    @Test
    void aClosedDeviceRefusesAConfiguration() {
        device.close();
        DeviceConfig config = new DeviceConfig(device.options().privateKey(), null, null, List.of(new DeviceConfig.Peer(
                PrivateKey.generate(new SecureRandom()).publicKey(), null, new InetSocketAddress("192.0.2.1", 51820),
                List.of(new IpPrefix(InetAddress.ofLiteral("10.0.0.0"), 8)), Duration.ofSeconds(25))));

        assertThatThrownBy(() -> device.configure(config)).isInstanceOf(IOException.class)
                .hasMessage("interface " + device.interfaceName() + " is stopped: closed");
    }

    private void assertPortFree(int port) {
        assertThatCode(() -> UdpBinding.open(port, 0, false, namespace).close()).as("port %d is free", port)
                .doesNotThrowAnyException();
    }

    private static void ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}

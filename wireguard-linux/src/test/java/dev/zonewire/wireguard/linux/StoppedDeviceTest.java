package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.wireguard.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device that is closed opens no socket again: a UAPI request still in flight that changes the
 * port or mark must not leave a UDP socket behind that nobody closes. Runs in a namespace of its
 * own, {@code zw-rvw-<id>}; needs root.
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

        assertThat(errno).isEqualTo(-Uapi.EADDRINUSE);
        assertPortFree(OTHER_PORT);
        assertPortFree(PORT);
    }

    @Test
    void aMarkChangeAfterCloseIsRefusedAndBindsNothing() throws Exception {
        device.close();

        assertThatThrownBy(() -> device.setFirewallMark(0x1234)).isInstanceOf(IOException.class);
        assertPortFree(PORT);
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

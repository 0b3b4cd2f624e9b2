package dev.zonewire.wireguard.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zonewire.wireguard.PrivateKey;
import dev.zonewire.wireguard.PublicKey;
import dev.zonewire.wireguard.TunnelSettings;
import dev.zonewire.wireguard.WireGuardTunnel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The UAPI conversation on one connection: operations in a row, their answers, and how input ends one. */
class UapiConnectionTest {
    private final Random random = new Random(11);
    private final PrivateKey ourKey = PrivateKey.generate(random);
    private final String alice = HexFormat.of().formatHex(PrivateKey.generate(random).publicKey().bytes());
    private final WireGuardTunnel tunnel = new WireGuardTunnel(ourKey, TunnelSettings.DEFAULTS, random, Instant.EPOCH, 0);
    private final DeviceState state = new DeviceState(tunnel, (port, mark) -> port, 51820, 0);

    @Test
    void aGetIsAnsweredWithTheConfigurationAndErrnoZero() throws IOException {
        String answer = converse("get=1\n\n");

        assertThat(answer).isEqualTo(Uapi.get(state) + "errno=0\n\n");
    }

    @Test
    void aSetUpToTheBlankLineIsAppliedAndAnswered() throws IOException {
        String answer = converse("set=1\npublic_key=" + alice + "\nallowed_ip=10.0.0.0/8\n\n");

        assertThat(answer).isEqualTo("errno=0\n\n");
        assertThat(tunnel.peer(PublicKey.fromBytes(HexFormat.of().parseHex(alice)))).isNotNull();
        assertThat(state.allowedIps().entries()).hasSize(1);
    }

    @Test
    void operationsFollowEachOtherOnOneConnection() throws IOException {
        String answer = converse("set=1\npublic_key=" + alice + "\n\nget=1\n\n");

        assertThat(answer).startsWith("errno=0\n\nprivate_key=").contains("public_key=" + alice).endsWith("errno=0\n\n");
    }

    @Test
    void aSetThatEndsWithTheConnectionIsStillApplied() throws IOException {
        String answer = converse("set=1\npublic_key=" + alice + "\nallowed_ip=10.0.0.0/8");

        assertThat(answer).as("answered, as wireguard-go does, though nobody may read it").isEqualTo("errno=0\n\n");
        assertThat(state.allowedIps().entries()).hasSize(1);
    }

    @Test
    void windowsLineEndsInASetAreAccepted() throws IOException {
        String answer = converse("set=1\npublic_key=" + alice + "\r\nallowed_ip=10.0.0.0/8\r\n\n");

        assertThat(answer).isEqualTo("errno=0\n\n");
        assertThat(state.allowedIps().entries()).hasSize(1);
    }

    @Test
    void aFailedSetAnswersItsErrno() throws IOException {
        assertThat(converse("set=1\nlisten_port=99999\n\n")).isEqualTo("errno=-22\n\n");
    }

    @Test
    void anUnknownOperationEndsTheConnectionWithoutAnswer() throws IOException {
        assertThat(converse("delete=1\nget=1\n\n")).isEmpty();
    }

    @Test
    void aGetWithTrailingCharactersIsInvalid() throws IOException {
        assertThat(converse("get=1\nx")).isEqualTo("errno=-22\n\n");
    }

    @Test
    void aLineLongerThan64KibFailsTheSetWithEio() throws IOException {
        String answer = converse("set=1\npublic_key=" + "a".repeat(UapiConnection.MAX_LINE) + "\n\n");

        assertThat(answer).startsWith("errno=-5\n\n");
        assertThat(tunnel.peers()).isEmpty();
    }

    @Test
    void anOperationWithoutItsNewlineIsIgnored() throws IOException {
        assertThat(converse("get=1")).isEmpty();
    }

    @Test
    void anOperationLineMustEndWithABareNewline() throws IOException {
        assertThat(converse("set=1\r\npublic_key=" + alice + "\n\n")).isEmpty();
        assertThat(tunnel.peers()).isEmpty();
    }

    @Test
    void aSetThatFailsUnexpectedlyStillLetsOtherClientsIn() {
        ReentrantReadWriteLock operations = new ReentrantReadWriteLock();
        UapiConnection.Device broken = new UapiConnection.Device() {
            @Override
            public <T> T locked(Function<DeviceState, T> action) {
                throw new IllegalStateException("a bug in the device");
            }
        };
        UapiConnection connection = new UapiConnection(new ByteArrayInputStream("set=1\n\n".getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), broken, operations);

        assertThatThrownBy(connection::serve).hasMessage("a bug in the device");
        assertThat(operations.isWriteLocked()).as("the set's lock is released").isFalse();
    }

    private String converse(String input) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        UapiConnection.Device device = new UapiConnection.Device() {
            @Override
            public <T> T locked(Function<DeviceState, T> action) {
                return action.apply(state);
            }
        };
        new UapiConnection(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), output, device,
                new ReentrantReadWriteLock()).serve();
        return output.toString(StandardCharsets.US_ASCII);
    }
}

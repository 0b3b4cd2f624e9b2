package dev.zonewire.relay.daemon;

import dev.zonewire.relay.peers.BlockingTurnClient;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static dev.zonewire.relay.daemon.RelayDaemonTest.LOOPBACK4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** With --state-dir, credentials issued before a restart still authenticate after it. */
class StampSecretPersistenceTest {
    @TempDir
    Path stateDir;

    @Test
    void credentialsIssuedBeforeARestartStillAllocateAfterIt() throws Exception {
        RelayConfig config = RelayDaemonTest.loopbackConfig().withStateDir(stateDir).withHttp(null, null);
        RelayCredentials.Issued credentials;
        try (RelayDaemon first = RelayDaemon.start(config)) {
            credentials = RelayCredentials.issue(first.stampSecret(), Instant.now().plus(Duration.ofHours(1)), new Random());
            assertThat(allocate(first, credentials)).isTrue();
        }

        try (RelayDaemon restarted = RelayDaemon.start(config)) {
            assertThat(allocate(restarted, credentials)).isTrue();
        }
    }

    @Test
    void withoutStateDirARestartInvalidatesCredentialsAsInTheReference() throws Exception {
        RelayConfig config = RelayDaemonTest.loopbackConfig().withHttp(null, null);
        RelayCredentials.Issued credentials;
        try (RelayDaemon first = RelayDaemon.start(config)) {
            credentials = RelayCredentials.issue(first.stampSecret(), Instant.now().plus(Duration.ofHours(1)), new Random());
        }

        try (RelayDaemon restarted = RelayDaemon.start(config)) {
            assertThat(allocate(restarted, credentials)).isFalse();
        }
    }

    @Test
    void secretFileIsPrivateAndStable() throws Exception {
        StampSecret first = StampSecretStore.loadOrCreate(stateDir.resolve("relay"), new Random(1));
        StampSecret second = StampSecretStore.loadOrCreate(stateDir.resolve("relay"), new Random(2));

        assertThat(second).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir.resolve("relay/stamp-secret"))))
                .isEqualTo("rw-------");
        assertThat(Files.list(stateDir.resolve("relay"))).hasSize(1);
    }

    @Test
    void corruptSecretFileStopsTheRelayInsteadOfBeingReplaced() throws Exception {
        Files.writeString(stateDir.resolve("stamp-secret"), "not a secret");

        assertThatIOException().isThrownBy(() -> StampSecretStore.loadOrCreate(stateDir, new Random()))
                .withMessageContaining("does not hold a stamp secret");
        assertThat(Files.readString(stateDir.resolve("stamp-secret"))).isEqualTo("not a secret");
    }

    private static boolean allocate(RelayDaemon relay, RelayCredentials.Issued credentials) throws IOException {
        try (BlockingTurnClient client = new BlockingTurnClient(new InetSocketAddress(LOOPBACK4, 0),
                new InetSocketAddress(LOOPBACK4, relay.listenPort()), credentials.username().toString(),
                credentials.password())) {
            return BlockingTurnClient.isSuccess(client.allocate());
        }
    }
}

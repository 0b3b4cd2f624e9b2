package dev.zonewire.cli.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.common.Secret;
import dev.zonewire.relay.daemon.StampSecretStore;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.RelayUsername;
import dev.zonewire.stun.StampSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zonewire relay credentials} derives a password from the relay's own stamp secret. */
class RelayCredentialsCommandTest {

    @Test
    void credentialsFromAStateDirMatchTheSecretTheRelayKeepsThere(@TempDir Path stateDir) throws Exception {
        StampSecret relaysSecret = StampSecretStore.loadOrCreate(stateDir, new Random(1));

        RelayCommandOptionsTest.Result result = RelayCommandOptionsTest.run(Map.of(), "relay", "credentials",
                "--state-dir", stateDir.toString());

        assertThat(result.exitCode()).isZero();
        Map<String, String> printed = fields(result.out());
        RelayUsername username = RelayUsername.parse(printed.get("username")).orElseThrow();
        assertThat(printed.get("password")).isEqualTo(RelayCredentials.password(relaysSecret, username).expose());
        assertThat(printed.get("realm")).isEqualTo("firezone");
    }

    @Test
    void aGivenSecretFromTheEnvironmentOrAFileGivesPasswordsForThatSecret(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "file-secret\n");

        var fromEnvironment = fields(RelayCommandOptionsTest.run(Map.of("ZONEWIRE_STAMP_SECRET", "env-secret"),
                "relay", "credentials").out());
        var fromFile = fields(RelayCommandOptionsTest.run(Map.of(), "relay", "credentials",
                "--stamp-secret-file", file.toString()).out());

        assertThat(fromEnvironment.get("password")).isEqualTo(passwordFor("env-secret", fromEnvironment.get("username")));
        assertThat(fromFile.get("password")).isEqualTo(passwordFor("file-secret", fromFile.get("username")));
    }

    @Test
    void theCredentialsExpireAfterTheAskedTime() {
        Instant before = Instant.now();

        var printed = fields(RelayCommandOptionsTest.run(Map.of("ZONEWIRE_STAMP_SECRET", "s"), "relay", "credentials",
                "--valid-for", "2h").out());

        long expiry = RelayUsername.parse(printed.get("username")).orElseThrow().expiryUnixSeconds();
        assertThat(expiry).isBetween(before.plusSeconds(7199).getEpochSecond(), Instant.now().plusSeconds(7200).getEpochSecond());
        assertThat(Instant.parse(printed.get("expires")).getEpochSecond()).isEqualTo(expiry);
    }

    @Test
    void withoutTheRelaysSecretItIsAUsageError() {
        RelayCommandOptionsTest.Result result = RelayCommandOptionsTest.run(Map.of(), "relay", "credentials");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("the relay's stamp secret is needed");
    }

    private static String passwordFor(String secret, String username) {
        return RelayCredentials.password(StampSecret.of(Secret.of(secret)), RelayUsername.parse(username).orElseThrow()).expose();
    }

    private static Map<String, String> fields(String output) {
        return output.lines().map(line -> line.split(": ", 2))
                .collect(java.util.stream.Collectors.toMap(parts -> parts[0], parts -> parts[1]));
    }
}

package dev.zonewire.cli.relay;

import dev.zonewire.relay.daemon.StampSecretStore;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.StampSecret;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zonewire relay credentials}: a TURN username and password valid on a relay, made from
 * the same stamp secret the relay uses (the same --stamp-secret, --stamp-secret-file or
 * --state-dir), so that any TURN client can be pointed at a standalone relay.
 */
@Command(
        name = "credentials",
        mixinStandardHelpOptions = true,
        description = "Print a TURN username and password that the relay with the same stamp secret accepts.")
public final class RelayCredentialsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StampSecretOptions stampSecret;

    @Option(names = "--valid-for", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "How long the credentials stay valid, e.g. 30m, 24h or 7d.")
    Duration validFor;

    @Override
    public Integer call() throws Exception {
        if (!stampSecret.isAnyGiven()) {
            throw new ParameterException(spec.commandLine(), "the relay's stamp secret is needed: give the relay's "
                    + "--state-dir, --stamp-secret or --stamp-secret-file");
        }
        StampSecret secret;
        try {
            secret = StampSecretStore.resolve(stampSecret.givenSecret(), stampSecret.stateDir(), new SecureRandom());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Instant expiry = Instant.now().plus(validFor);
        RelayCredentials.Issued credentials = RelayCredentials.issue(secret, expiry, new SecureRandom());
        PrintWriter out = spec.commandLine().getOut();
        out.println("username: " + credentials.username());
        out.println("password: " + credentials.password().expose());
        out.println("realm: " + RelayCredentials.REALM);
        out.println("expires: " + Instant.ofEpochSecond(expiry.getEpochSecond()));
        out.flush();
        return 0;
    }
}

package dev.zonewire.cli.relay;

import dev.zonewire.common.Secret;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where a relay's stamp secret comes from, shared by {@code zonewire relay} and
 * {@code zonewire relay credentials} so that both read the same one.
 */
public final class StampSecretOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--stamp-secret",
            paramLabel = "SECRET",
            converter = SecretConverter.class,
            description = "The stamp secret TURN passwords derive from (standalone mode). Prefer the environment "
                    + "variable or --stamp-secret-file: a command line is visible to every user of the machine.")
    Secret secret;

    @Option(
            names = "--stamp-secret-file",
            paramLabel = "FILE",
            description = "Read the stamp secret from this file (surrounding whitespace is ignored).")
    Path secretFile;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Keep the stamp secret in DIR/stamp-secret (made on first start) so that credentials "
                    + "issued before a restart stay valid after it.")
    Path stateDir;

    /** The secret given by value or file, or null when neither is; a usage error when both are. */
    Secret givenSecret() {
        if (secret != null && secretFile != null) {
            throw new ParameterException(spec.commandLine(), "give --stamp-secret or --stamp-secret-file, not both");
        }
        if (secretFile == null) {
            return secret;
        }
        return SecretConverter.fromFile(secretFile, "stamp secret");
    }

    Path stateDir() {
        return stateDir;
    }

    boolean isAnyGiven() {
        return secret != null || secretFile != null || stateDir != null;
    }
}

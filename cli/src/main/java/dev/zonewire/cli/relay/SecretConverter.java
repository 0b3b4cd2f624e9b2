package dev.zonewire.cli.relay;

import dev.zonewire.common.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;

/**
 * Secrets from the command line: any text is a valid secret, so conversion never fails and no
 * error message can repeat one; or the content of a file.
 */
public final class SecretConverter implements ITypeConverter<Secret> {
    @Override
    public Secret convert(String value) {
        return Secret.of(value);
    }

    /** A secret from a file, stripped of surrounding whitespace; the error names the file, never its content. */
    static Secret fromFile(Path file, String what) {
        try {
            String text = Files.readString(file).strip();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("the " + what + " file " + file + " is empty");
            }
            return Secret.of(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }
}

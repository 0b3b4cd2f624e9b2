package dev.zonewire.cli.relay;

import dev.zonewire.common.Secret;
import picocli.CommandLine.ITypeConverter;

/** Any text is a valid secret, so conversion never fails and no error message can repeat one. */
public final class SecretConverter implements ITypeConverter<Secret> {
    @Override
    public Secret convert(String value) {
        return Secret.of(value);
    }
}

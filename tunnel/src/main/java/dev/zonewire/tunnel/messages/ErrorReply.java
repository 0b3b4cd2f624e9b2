package dev.zonewire.tunnel.messages;

import java.util.List;
import java.util.Objects;

/** An error reply from the portal: {@code reason} such as {@code offline}, {@code not_found}, {@code forbidden}. */
public record ErrorReply(String reason, List<String> violatedProperties) {

    public ErrorReply {
        Objects.requireNonNull(reason, "reason");
        violatedProperties = List.copyOf(violatedProperties);
    }
}

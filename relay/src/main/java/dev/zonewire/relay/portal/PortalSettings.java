package dev.zonewire.relay.portal;

import dev.zonewire.common.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a relay reaches its portal (spec/relay.md section 6).
 *
 * @param apiUrl the portal's base URL ({@code wss://api.firezone.dev}); http and https become ws and wss
 * @param token the relay group's token
 * @param name the display name sent as {@code name}, if any
 * @param giveUpAfter how long one outage may last before the relay stops (15 minutes in the reference)
 * @param version the relay's version for the User-Agent {@code relay/<version>}
 */
public record PortalSettings(URI apiUrl, Secret token, Optional<String> name, Duration giveUpAfter, String version) {
    public static final URI DEFAULT_API_URL = URI.create("wss://api.firezone.dev");
    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofMinutes(15);

    public PortalSettings {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
            throw new IllegalArgumentException("the give-up window must be positive");
        }
    }

    /** The reference's window of 15 minutes. */
    public static PortalSettings of(URI apiUrl, Secret token, Optional<String> name, String version) {
        return new PortalSettings(apiUrl, token, name, DEFAULT_GIVE_UP_AFTER, version);
    }

    public PortalSettings withGiveUpAfter(Duration window) {
        return new PortalSettings(apiUrl, token, name, window, version);
    }
}

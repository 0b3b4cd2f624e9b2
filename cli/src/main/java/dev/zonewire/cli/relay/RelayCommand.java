package dev.zonewire.cli.relay;

import dev.zonewire.cli.Env;
import dev.zonewire.cli.VersionCommand;
import dev.zonewire.common.Secret;
import dev.zonewire.relay.daemon.RelayConfig;
import dev.zonewire.relay.daemon.RelayDaemon;
import dev.zonewire.relay.portal.PortalLink;
import dev.zonewire.relay.portal.PortalSettings;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zonewire relay}: the STUN/TURN relay (docs/relay.md). With a token it joins the portal,
 * which hands its credentials to clients and gateways; without one it runs standalone, and
 * {@code zonewire relay credentials} makes credentials from the same stamp secret. The first
 * SIGTERM or SIGINT leaves the portal and drains (no new allocations, existing ones relay until
 * they end), the second stops at once. Exit code 0 after a requested stop, 1 when the relay
 * failed (the portal refused it, or an outage outlasted the give-up window), 2 for a usage error.
 */
@Command(
        name = "relay",
        mixinStandardHelpOptions = true,
        // Wide enough that each option's environment variables (Firezone's too) stay on one line.
        usageHelpWidth = 100,
        description = "Run the STUN/TURN relay.",
        subcommands = RelayCredentialsCommand.class)
public final class RelayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--public-ip4-addr", paramLabel = "IP", converter = AddressConverters.Ipv4.class,
            description = "Public IPv4 address: enables IPv4 listening and allocations. At least one public address is required.")
    @Env({"ZONEWIRE_PUBLIC_IP4_ADDR", "PUBLIC_IP4_ADDR"})
    Inet4Address publicIp4;

    @Option(names = "--public-ip6-addr", paramLabel = "IP", converter = AddressConverters.Ipv6.class,
            description = "Public IPv6 address: enables IPv6 listening and allocations.")
    @Env({"ZONEWIRE_PUBLIC_IP6_ADDR", "PUBLIC_IP6_ADDR"})
    Inet6Address publicIp6;

    @Option(names = "--bind-ip4-addr", paramLabel = "IP", converter = AddressConverters.Ip.class,
            description = "Where IPv4 sockets bind (default 0.0.0.0).")
    InetAddress bindIp4;

    @Option(names = "--bind-ip6-addr", paramLabel = "IP", converter = AddressConverters.Ip.class,
            description = "Where IPv6 sockets bind (default ::).")
    InetAddress bindIp6;

    @Option(names = "--listen-port", paramLabel = "PORT", defaultValue = "3478",
            description = "The STUN/TURN port.")
    @Env({"ZONEWIRE_LISTEN_PORT", "LISTEN_PORT"})
    int listenPort;

    @Option(names = "--lowest-port", paramLabel = "PORT", defaultValue = "49152",
            description = "First port of the allocation range.")
    @Env({"ZONEWIRE_LOWEST_PORT", "LOWEST_PORT"})
    int lowestPort;

    @Option(names = "--highest-port", paramLabel = "PORT", defaultValue = "65535",
            description = "Last port of the allocation range.")
    @Env({"ZONEWIRE_HIGHEST_PORT", "HIGHEST_PORT"})
    int highestPort;

    @Option(names = "--api-url", paramLabel = "URL", defaultValue = "wss://api.firezone.dev",
            description = "The portal's URL (http and https are turned into ws and wss).")
    @Env({"ZONEWIRE_API_URL", "FIREZONE_API_URL"})
    URI apiUrl;

    @Option(names = "--token", paramLabel = "TOKEN", converter = SecretConverter.class,
            description = "The relay group's portal token. Without a token the relay runs standalone. Prefer the "
                    + "environment variable or --token-file: a command line is visible to every user of the machine.")
    @Env({"ZONEWIRE_TOKEN", "FIREZONE_TOKEN"})
    Secret token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the portal token from this file (surrounding whitespace is ignored).")
    Path tokenFile;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The name the portal shows for this relay.")
    @Env({"ZONEWIRE_NAME", "FIREZONE_NAME"})
    String name;

    @Option(names = "--health-check-addr", paramLabel = "IP:PORT", defaultValue = "0.0.0.0:8080",
            converter = AddressConverters.SocketAddress.class,
            description = "Where GET /healthz (and GET /metrics, unless --metrics-addr is given) is served.")
    @Env({"ZONEWIRE_HEALTH_CHECK_ADDR", "HEALTH_CHECK_ADDR"})
    InetSocketAddress healthAddress;

    @Option(names = "--metrics-addr", paramLabel = "IP:PORT", converter = AddressConverters.SocketAddress.class,
            description = "Serve GET /metrics here instead of on the health check address.")
    InetSocketAddress metricsAddress;

    @Mixin
    StampSecretOptions stampSecret;

    @Override
    public Integer call() throws Exception {
        RelayConfig config = config();
        RelayDaemon relay = RelayDaemon.start(config);
        try {
            TerminationSignals.onEach(relay::requestStop);
            relay.awaitTermination();
        } finally {
            relay.close();
        }
        Optional<String> failure = relay.failure();
        if (failure.isPresent()) {
            throw new IllegalStateException(failure.get());
        }
        return 0;
    }

    private RelayConfig config() {
        if (publicIp4 == null && publicIp6 == null) {
            throw usage("Must listen on at least one of IPv4 or IPv6: give --public-ip4-addr or --public-ip6-addr");
        }
        try {
            return RelayConfig.of(publicIp4, publicIp6)
                    .withBind(bindIp4, bindIp6)
                    .withListenPort(listenPort)
                    .withPortRange(lowestPort, highestPort)
                    .withHttp(healthAddress, metricsAddress)
                    .withStateDir(stampSecret.stateDir())
                    .withStampSecret(stampSecret.givenSecret())
                    .withPortal(portal());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The portal settings, or null for standalone mode. */
    private PortalSettings portal() {
        if (token != null && tokenFile != null) {
            throw usage("give --token or --token-file, not both");
        }
        Secret portalToken = tokenFile != null ? SecretConverter.fromFile(tokenFile, "token") : token;
        if (portalToken == null) {
            return null;
        }
        PortalSettings settings = PortalSettings.of(apiUrl, portalToken, Optional.ofNullable(name),
                VersionCommand.zonewireVersion());
        // Built once now so that a URL the portal link cannot use is a usage error, not a failure after start.
        PortalLink.loginUrl(settings, publicIp4, publicIp6, RelayConfig.DEFAULT_LISTEN_PORT);
        return settings;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}

package dev.zonewire.cli.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.cli.ZonewireCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How flags and Firezone's environment variables become the relay's settings, and what is a usage error. */
class RelayCommandOptionsTest {

    @Test
    void firezonesEnvironmentVariablesConfigureTheRelay() throws Exception {
        RelayCommand relay = parse(Map.of("PUBLIC_IP4_ADDR", "203.0.113.7", "PUBLIC_IP6_ADDR", "2001:db8::7",
                "LISTEN_PORT", "3479", "LOWEST_PORT", "50000", "HIGHEST_PORT", "50999",
                "FIREZONE_API_URL", "wss://portal.example.test", "FIREZONE_TOKEN", "a-token",
                "FIREZONE_NAME", "relay-eu-1", "HEALTH_CHECK_ADDR", "127.0.0.1:9090"), "relay");

        assertThat(relay.publicIp4).isEqualTo(InetAddress.getByName("203.0.113.7"));
        assertThat(relay.publicIp6).isEqualTo(InetAddress.getByName("2001:db8::7"));
        assertThat(relay.listenPort).isEqualTo(3479);
        assertThat(relay.lowestPort).isEqualTo(50000);
        assertThat(relay.highestPort).isEqualTo(50999);
        assertThat(relay.apiUrl).hasToString("wss://portal.example.test");
        assertThat(relay.token.expose()).isEqualTo("a-token");
        assertThat(relay.name).isEqualTo("relay-eu-1");
        assertThat(relay.healthAddress).isEqualTo(new InetSocketAddress("127.0.0.1", 9090));
    }

    @Test
    void zonewireVariablesWinOverFirezonesAndFlagsOverBoth() {
        RelayCommand relay = parse(Map.of("ZONEWIRE_LISTEN_PORT", "4000", "LISTEN_PORT", "3479",
                "ZONEWIRE_PUBLIC_IP4_ADDR", "192.0.2.1", "PUBLIC_IP4_ADDR", "203.0.113.7"), "relay", "--listen-port", "5000");

        assertThat(relay.listenPort).isEqualTo(5000);
        assertThat(relay.publicIp4.getHostAddress()).isEqualTo("192.0.2.1");
    }

    @Test
    void theReferencesDefaultsApplyWhenNothingIsSet() {
        RelayCommand relay = parse(Map.of(), "relay");

        assertThat(relay.listenPort).isEqualTo(3478);
        assertThat(relay.lowestPort).isEqualTo(49152);
        assertThat(relay.highestPort).isEqualTo(65535);
        assertThat(relay.apiUrl).hasToString("wss://api.firezone.dev");
        assertThat(relay.healthAddress).isEqualTo(new InetSocketAddress("0.0.0.0", 8080));
        assertThat(relay.token).isNull();
    }

    @Test
    void withoutAPublicAddressItIsAUsageError() {
        Result result = run(Map.of(), "relay");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Must listen on at least one of IPv4 or IPv6");
    }

    @Test
    void aPublicAddressThatIsNoIpv4LiteralIsAUsageError() {
        Result result = run(Map.of(), "relay", "--public-ip4-addr", "relay.example.com");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'relay.example.com' is not an IPv4 address");
    }

    @Test
    void anUpsideDownPortRangeIsAUsageError() {
        Result result = run(Map.of("PUBLIC_IP4_ADDR", "203.0.113.7"), "relay", "--lowest-port", "60000",
                "--highest-port", "50000");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).contains("60000"));
    }

    @Test
    void aPortalUrlOfAnotherSchemeIsAUsageError() {
        Result result = run(Map.of("PUBLIC_IP4_ADDR", "203.0.113.7", "FIREZONE_TOKEN", "t"), "relay",
                "--api-url", "ftp://portal.example.test");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("the portal URL must use http, https, ws or wss, got 'ftp'");
    }

    @Test
    void aTokenAndATokenFileTogetherAreAUsageErrorThatDoesNotRepeatTheToken(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-the-file");

        Result result = run(Map.of("PUBLIC_IP4_ADDR", "203.0.113.7", "FIREZONE_TOKEN", "from-the-environment"),
                "relay", "--token-file", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("give --token or --token-file, not both").doesNotContain("from-the");
    }

    @Test
    void helpNamesFirezonesVariablesButNeverShowsTheirValues() {
        Result result = run(Map.of("FIREZONE_TOKEN", "do-not-print-me"), "relay", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("env: ZONEWIRE_TOKEN or FIREZONE_TOKEN")
                .contains("env: ZONEWIRE_PUBLIC_IP4_ADDR or PUBLIC_IP4_ADDR").doesNotContain("do-not-print-me");
    }

    private static RelayCommand parse(Map<String, String> environment, String... args) {
        CommandLine.ParseResult result = ZonewireCommand.commandLine(environment).parseArgs(args);
        return result.subcommand().commandSpec().commandLine().getCommand();
    }

    record Result(int exitCode, String out, String err) {
    }

    static Result run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = ZonewireCommand.commandLine(environment);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}

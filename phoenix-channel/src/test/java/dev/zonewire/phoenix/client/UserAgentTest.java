package dev.zonewire.phoenix.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spec 1.2: the User-Agent the portal parses for the component's version. */
class UserAgentTest {

    @Test
    void aRelaySendsRelaySlashVersion() {
        assertThat(UserAgent.relay("0.1.0")).isEqualTo("relay/0.1.0");
    }

    @Test
    void aGatewaySendsOsConnlibAndTheParenthesisedDetailsItKnows() {
        assertThat(UserAgent.connlib("Ubuntu", "22.04", "1.4.2", Optional.of("x86_64"), Optional.of("6.8.0-45-generic")))
                .isEqualTo("Ubuntu/22.04 connlib/1.4.2 (x86_64; 6.8.0-45-generic)");
        assertThat(UserAgent.connlib("Windows", "11", "1.3.8", Optional.of("x86_64"), Optional.empty()))
                .isEqualTo("Windows/11 connlib/1.3.8 (x86_64)");
        assertThat(UserAgent.connlib("Debian", "13", "1.4.2", Optional.empty(), Optional.empty()))
                .isEqualTo("Debian/13 connlib/1.4.2");
    }

    @Test
    void thisHostsUserAgentHasTheConnlibTokenThePortalLooksFor() {
        String agent = UserAgent.connlibForThisHost("1.4.2");

        assertThat(agent.split(" ")).anySatisfy(token -> assertThat(token).isEqualTo("connlib/1.4.2"));
    }

    @Test
    void theDistributionComesFromOsRelease(@TempDir Path dir) throws Exception {
        Path osRelease = dir.resolve("os-release");
        Files.writeString(osRelease, "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"13\"\n");

        assertThat(UserAgent.linuxDistribution(osRelease)).containsExactly("Debian", "13");
        assertThat(UserAgent.linuxDistribution(dir.resolve("missing"))).containsExactly("Linux", "unknown");
    }
}

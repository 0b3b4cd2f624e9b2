package dev.zonewire.snownet.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IceCredentialsTest {

    @Test
    void randomCredentialsHaveTheReferenceLengthsAndAlphabet() {
        IceCredentials credentials = IceCredentials.random(new SplittableRandom(1));

        assertThat(credentials.ufrag()).hasSize(4).matches("[a-zA-Z0-9]+").doesNotContain("w", "W");
        assertThat(credentials.password().expose()).hasSize(22).matches("[a-zA-Z0-9]+").doesNotContain("w", "W");
    }

    @Test
    void thePasswordNeverShowsInText() {
        IceCredentials credentials = IceCredentials.of("abcd", "verysecretpasswordhere");

        assertThat(credentials.toString()).contains("abcd").doesNotContain("verysecret");
    }

    @Test
    void credentialsShorterThanRfc8445AllowsAreRefused() {
        assertThatThrownBy(() -> IceCredentials.of("abc", "verysecretpasswordhere")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceCredentials.of("abcd", "short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsOutsideTheIceCharacterSetAreRefusedWithoutEchoingThePassword() {
        assertThatThrownBy(() -> IceCredentials.of("ab:cd", "verysecretpasswordhere")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceCredentials.of("abcd", "very secret password here"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void theLongestUfragsTheCredentialsAcceptStillMakeChecksThatCanBeSent() {
        String longest = "u".repeat(300);
        while (!accepted(longest)) {
            longest = longest.substring(1);
        }
        IceCredentials local = IceCredentials.of(longest, "leftpasswordleftpasswd");
        IceCredentials remote = IceCredentials.of(longest.toUpperCase(Locale.ROOT), "rightpasswordrightpass");
        IceAgent agent = new IceAgent(true, local, remote, IceTimings.DEFAULT, new SplittableRandom(1), 0);
        agent.addLocalCandidate(Candidate.host(AgentPair.LEFT_HOST));
        agent.addRemoteCandidate(Candidate.host(AgentPair.RIGHT_HOST));

        agent.handleTimeout(0);

        assertThat(agent.pollTransmit()).isNotNull();
    }

    private static boolean accepted(String ufrag) {
        try {
            IceCredentials.of(ufrag, "verysecretpasswordhere");
            return true;
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }
}

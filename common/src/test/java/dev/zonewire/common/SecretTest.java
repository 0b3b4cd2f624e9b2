package dev.zonewire.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void toStringNeverShowsTheValue() {
        Secret secret = Secret.of("hunter2-token");

        assertThat(secret.toString()).doesNotContain("hunter2").isEqualTo("Secret[redacted]");
        assertThat("token=" + secret).doesNotContain("hunter2");
        assertThat(String.format("%s", secret)).doesNotContain("hunter2");
    }

    @Test
    void exposeReturnsTheValue() {
        assertThat(Secret.of("abc").expose()).isEqualTo("abc");
        assertThat(Secret.ofBytes(new byte[] {1, 2, 3}).bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] input = {1, 2, 3};
        Secret secret = Secret.ofBytes(input);
        input[0] = 9;
        secret.bytes()[1] = 9;

        assertThat(secret.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void equalSecretsAreEqualAndShareAHashCode() {
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b"));
        assertThat(Secret.of("a").hashCode()).isEqualTo(Secret.of("b").hashCode());
    }

    @Test
    void base64DecodingAcceptsBothAlphabetsAndHidesBadInput() {
        assertThat(Secret.fromBase64("+/8=").bytes()).containsExactly(0xfb, 0xff);
        assertThat(Secret.fromBase64("-_8=").bytes()).containsExactly(0xfb, 0xff);
        assertThatThrownBy(() -> Secret.fromBase64("not base64 my-password!"))
                .hasMessageNotContaining("my-password");
    }

    @Test
    void wipeClearsTheValue() {
        Secret secret = Secret.of("xyz");
        secret.wipe();

        assertThat(secret.bytes()).containsOnly(0);
    }
}

package dev.zonewire.relay;

import dev.zonewire.common.Secret;
import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.RelayCredentials;
import dev.zonewire.stun.RelayUsername;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.zonewire.relay.StunResponses.assertError;
import static dev.zonewire.relay.StunResponses.assertSuccess;
import static org.assertj.core.api.Assertions.assertThat;

/** The long-term credential checks of spec/relay.md section 2.2 and the signing rules of 2.3. */
class AuthenticationTest {
    private final TestRelay relay = TestRelay.dualStack();
    private final TestClient client = relay.client("198.51.100.20:40000");

    @Test
    void allocateWithoutNonceGetsASigned401WithRealmAndNonce() {
        StunMessage request = StunMessage.request(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"))
                .add(new StunAttribute.RequestedTransport(17))
                .add(new StunAttribute.Username(client.credentials.username().toString()))
                .add(new StunAttribute.Realm("firezone")).build();

        StunMessage response = client.exchange(request);

        assertError(response, 401);
        assertThat(response.first(StunAttribute.Realm.class)).contains(new StunAttribute.Realm("firezone"));
        assertThat(response.first(StunAttribute.Nonce.class).orElseThrow().value())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void theNonceOfThe401ThenAuthenticatesTheRetry() {
        client.fetchNonce();

        StunMessage response = client.allocate();

        assertSuccess(response);
        assertThat(relay.server.allocationCount()).isEqualTo(1);
    }

    @Test
    void requestWithoutUsernameGetsAnUnsigned401() {
        StunMessage request = StunMessage.request(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"))
                .add(new StunAttribute.RequestedTransport(17)).build();

        ReceivedStunMessage response = client.exchangeRaw(StunEncoder.encode(request));

        assertError(response.message(), 401);
        assertThat(response.hasMessageIntegrity()).isFalse();
        assertThat(response.message().has(StunAttribute.Nonce.class)).isTrue();
    }

    @Test
    void malformedUsernameGetsAnUnsigned401InsteadOfTheReferencesSilence() {
        StunMessage request = StunMessage.request(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"))
                .add(new StunAttribute.RequestedTransport(17))
                .add(new StunAttribute.Username("foobar"))
                .add(new StunAttribute.Realm("firezone")).build();

        ReceivedStunMessage response = client.exchangeRaw(StunEncoder.encode(request,
                MessageProtection.integrity(IntegrityKey.longTerm("foobar", "firezone", Secret.of("x")))));

        assertError(response.message(), 401);
        assertThat(response.hasMessageIntegrity()).isFalse();
    }

    @Test
    void unknownNonceGets438WithAFreshNonceThatWorks() {
        client.nonce = "00000000-0000-0000-0000-000000000000";

        StunMessage stale = client.allocate();
        client.nonce = stale.first(StunAttribute.Nonce.class).orElseThrow().value();
        StunMessage retried = client.allocate();

        assertError(stale, 438);
        assertThat(stale.first(StunAttribute.Realm.class)).isPresent();
        assertSuccess(retried);
    }

    @Test
    void aNonceIsGoodFor100RequestsAndThe101stGets438() {
        client.fetchNonce();
        String nonce = client.nonce;

        assertSuccess(client.allocate());
        for (int i = 0; i < 99; i++) {
            assertSuccess(client.request(StunMethod.REFRESH));
        }
        StunMessage hundredAndFirst = client.request(StunMethod.REFRESH);

        assertThat(client.nonce).isEqualTo(nonce);
        assertError(hundredAndFirst, 438);
    }

    @Test
    void theFresh438NonceWorksEvenIfTheClockHasNotMovedSinceTheOldOneWasUsedUp() {
        client.fetchNonce();
        String usedUp = client.nonce;
        assertSuccess(client.allocate());
        for (int i = 0; i < 99; i++) {
            client.request(StunMethod.REFRESH);
        }
        StunMessage stale = client.request(StunMethod.REFRESH);
        client.nonce = stale.first(StunAttribute.Nonce.class).orElseThrow().value();

        StunMessage retried = client.request(StunMethod.REFRESH);

        assertThat(client.nonce).isNotEqualTo(usedUp);
        assertSuccess(retried);
    }

    @Test
    void nonceExpiresAfterItsLifetime() {
        client.fetchNonce();

        relay.advance(Duration.ofHours(1));
        StunMessage response = client.allocate();

        assertError(response, 438);
    }

    @Test
    void nonceWithAForgedTagIsStale() {
        client.fetchNonce();
        char last = client.nonce.charAt(35);
        client.nonce = client.nonce.substring(0, 35) + (last == '0' ? '1' : '0');

        assertError(client.allocate(), 438);
    }

    @Test
    void nonceThatIsNoUuidGets401() {
        client.nonce = "not-a-uuid";

        assertError(client.allocate(), 401);
    }

    @Test
    void expiredCredentialGetsASigned401() {
        client.fetchNonce();

        relay.unixMillis += Duration.ofSeconds(1001).toMillis();

        assertError(client.allocate(), 401);
    }

    @Test
    void credentialIsValidThroughoutItsExpirySecond() {
        client.fetchNonce();

        relay.unixMillis = client.credentials.username().expiryUnixSeconds() * 1000;

        assertSuccess(client.allocate());
    }

    @Test
    void wrongPasswordGets401SignedWithTheKeyTheRelayDerives() {
        client.fetchNonce();
        RelayUsername username = client.credentials.username();
        IntegrityKey wrongKey = IntegrityKey.longTerm(username.toString(), "firezone", Secret.of("wrong"));

        ReceivedStunMessage response = client.exchangeRaw(StunEncoder.encode(
                client.signed(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"),
                        new StunAttribute.RequestedTransport(17)), MessageProtection.integrity(wrongKey)));

        assertError(response.message(), 401);
        assertThat(response.verifyMessageIntegrity(RelayCredentials.key(TestRelay.SECRET, username))).isTrue();
        assertThat(response.verifyMessageIntegrity(wrongKey)).isFalse();
    }

    @Test
    void credentialsOfAnotherRelaySecretAreRejected() {
        RelayUsername username = new RelayUsername(relay.unixMillis / 1000 + 1000, "salt");
        var foreign = new RelayCredentials.Issued(username,
                RelayCredentials.password(dev.zonewire.stun.StampSecret.of(Secret.of("other")), username));
        TestClient stranger = new TestClient(relay, TestRelay.socket("192.0.2.9:1"), foreign);
        stranger.nonce = "00000000-0000-0000-0000-000000000000";

        ReceivedStunMessage response = stranger.exchangeRaw(StunEncoder.encode(
                stranger.signed(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"),
                        new StunAttribute.RequestedTransport(17)), MessageProtection.integrity(foreign.key())));

        assertThat(response.verifyMessageIntegrity(foreign.key())).isFalse();
        assertThat(relay.server.allocationCount()).isZero();
    }

    @Test
    void failingRequestsDoNotCreateNonceState() {
        client.fetchNonce();
        relay.unixMillis += Duration.ofSeconds(2000).toMillis();

        client.allocate();

        assertThat(relay.server.stats().trackedNonces()).isZero();
    }

    @Test
    void realmInTheRequestIsNotChecked() {
        client.fetchNonce();
        StunMessage request = StunMessage.request(StunMethod.ALLOCATE, TransactionId.ofHex("0102030405060708090a0b0c"))
                .add(new StunAttribute.RequestedTransport(17))
                .add(new StunAttribute.Username(client.credentials.username().toString()))
                .add(new StunAttribute.Realm("elsewhere"))
                .add(new StunAttribute.Nonce(client.nonce)).build();

        assertSuccess(client.exchange(request));
    }
}

package dev.zonewire.snownet.turn;

import static dev.zonewire.snownet.turn.TurnHarness.PEER;
import static dev.zonewire.snownet.turn.TurnHarness.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunMethod;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ChannelLifetimeTest {

    private static TurnHarness withChannel() {
        TurnHarness harness = TurnHarness.ipv4Only();
        harness.allocation.bindChannel(PEER, harness.now);
        harness.drain();
        return harness;
    }

    @Test
    void aChannelThatCarriedDataIsRefreshedAfterFiveMinutesWithTheSameNumber() {
        TurnHarness harness = withChannel();
        harness.advanceSeconds(10);
        harness.peerSends(new byte[] {1});

        harness.advanceSeconds(295);

        assertThat(harness.sent(StunMethod.CHANNEL_BIND)).hasSize(2)
                .extracting(m -> m.first(StunAttribute.ChannelNumber.class).orElseThrow().number())
                .containsOnly(0x4000);
        assertThat(harness.allocation.canSendTo(PEER, harness.now)).isTrue();
    }

    @Test
    void aChannelWithoutDataIsLeftToExpireAndStopsCarryingAfterTenMinutes() {
        TurnHarness harness = withChannel();

        harness.advanceSeconds(599);
        assertThat(harness.allocation.canSendTo(PEER, harness.now)).isTrue();
        harness.advanceSeconds(1);

        assertThat(harness.sent(StunMethod.CHANNEL_BIND)).hasSize(1);
        assertThat(harness.allocation.canSendTo(PEER, harness.now)).isFalse();
    }

    @Test
    void anExpiredChannelIsBoundAgainWithItsNumberWhileTheRelayStillReservesIt() {
        TurnHarness harness = withChannel();
        harness.advanceSeconds(700);

        harness.allocation.bindChannel(PEER, harness.now);
        harness.drain();

        assertThat(harness.sent(StunMethod.CHANNEL_BIND).getLast().first(StunAttribute.ChannelNumber.class))
                .contains(new StunAttribute.ChannelNumber(0x4000));
        assertThat(harness.allocation.canSendTo(PEER, harness.now)).isTrue();
    }

    @Test
    void numbersAreHandedOutRoundRobinAndAnUnusedOneIsReusedOnlyAfterFifteenMinutes() {
        ChannelBindings bindings = new ChannelBindings();
        InetSocketAddress first = address("192.0.2.1", 1);
        ChannelBindings.Channel channel = bindings.reserve(first, 0);
        bindings.markBound(channel, 0);
        for (int i = 1; i < 4096; i++) {
            bindings.markBound(bindings.reserve(address("192.0.2.2", i), 0), 0);
        }

        assertThat(bindings.reserve(address("192.0.2.3", 1), ChannelBindings.REUSE_AFTER_NANOS - 1)).isNull();
        ChannelBindings.Channel reused = bindings.reserve(address("192.0.2.3", 1), ChannelBindings.REUSE_AFTER_NANOS);
        assertThat(reused.number).isEqualTo(0x4000);
        assertThat(bindings.forPeer(first)).isNull();
    }

    @Test
    void aChannelThatCarriedDataIsNotGivenToAnotherPeer() {
        ChannelBindings bindings = new ChannelBindings();
        ChannelBindings.Channel busy = bindings.reserve(address("192.0.2.1", 1), 0);
        bindings.markBound(busy, 0);
        busy.receivedSinceBind = true;

        ChannelBindings.Channel other = bindings.reserve(address("192.0.2.2", 1), ChannelBindings.REUSE_AFTER_NANOS);

        assertThat(other.number).isEqualTo(0x4001);
    }
}

package dev.zonewire.phoenix.server;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what the server answered, refused and dropped, for the portal's metrics. */
public final class ServerStats {
    final LongAdder heartbeats = new LongAdder();
    final LongAdder refusedUpgrades = new LongAdder();
    final LongAdder malformedFrames = new LongAdder();
    final LongAdder droppedFrames = new LongAdder();
    final LongAdder oversizedFrames = new LongAdder();
    final LongAdder refusedJoins = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();
    final LongAdder idleTimeouts = new LongAdder();

    public long heartbeats() { return heartbeats.sum(); }

    public long refusedUpgrades() { return refusedUpgrades.sum(); }

    public long malformedFrames() { return malformedFrames.sum(); }

    public long droppedFrames() { return droppedFrames.sum(); }

    public long oversizedFrames() { return oversizedFrames.sum(); }

    public long refusedJoins() { return refusedJoins.sum(); }

    public long slowConsumers() { return slowConsumers.sum(); }

    public long idleTimeouts() { return idleTimeouts.sum(); }
}

package dev.zonewire.wireguard.linux;

import java.util.concurrent.atomic.LongAdder;

/** The driver's own drop counters, bumped by every packet thread (the tunnel counts its drops itself). */
final class DeviceCounters {
    final LongAdder noRoute = new LongAdder();
    final LongAdder sourceNotAllowed = new LongAdder();
    final LongAdder tooLarge = new LongAdder();
    final LongAdder noSocket = new LongAdder();
    final LongAdder sendErrors = new LongAdder();
}

package dev.zonewire.cli.relay;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as stop requests: each one runs the action, instead of the JVM's default of
 * exiting, so that the relay can drain on the first and stop on the second.
 */
final class TerminationSignals {
    private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

    private TerminationSignals() {
    }

    static void onEach(Runnable stopRequest) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (received.incrementAndGet() == 1) {
                    log.info("Received SIG{}: leaving the portal, refusing new allocations and waiting for the existing "
                            + "ones to end; send it again to stop at once", signal.getName());
                } else {
                    log.info("Received SIG{} again: stopping now", signal.getName());
                }
                stopRequest.run();
            });
        }
    }
}

package dev.zonewire.phoenix.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A socket that sends no frame for the idle timeout is closed; heartbeats keep it open (spec 1.8). */
class IdleTimeoutTest {

    @Test
    void aSilentSocketIsClosedAndAHeartbeatingOneIsKept() throws Exception {
        try (var server = new TestServer(builder -> builder.idleTimeout(Duration.ofMillis(600)));
             var silent = server.connect(null);
             var alive = server.connect(null)) {
            long start = System.nanoTime();
            for (int i = 0; i < 12; i++) {
                alive.send("{\"topic\":\"phoenix\",\"event\":\"heartbeat\",\"payload\":{},\"ref\":" + i + "}");
                Thread.sleep(150);
            }

            assertThat(silent.awaitClose(Duration.ofSeconds(5))).isEqualTo(1000);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
            assertThat(alive.isOpen()).isTrue();
            assertThat(server.server.stats().idleTimeouts()).isEqualTo(1);
        }
    }
}

package dev.zonewire.relay.daemon;

import dev.zonewire.stun.StampSecret;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay and `zonewire relay credentials` may make the state dir's secret at the same time:
 * the first file written must win, or credentials printed by one would not work on the other.
 */
class StampSecretRaceTest {
    private static final int CREATORS = 8;

    @TempDir
    Path stateDir;

    @RepeatedTest(5)
    void creatorsRacingOnAnEmptyStateDirAllGetTheSameSecret() throws Exception {
        CyclicBarrier start = new CyclicBarrier(CREATORS);
        Callable<StampSecret> creator = () -> {
            start.await();
            return StampSecretStore.loadOrCreate(stateDir, new SecureRandom());
        };
        List<StampSecret> secrets = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(CREATORS)) {
            List<Future<StampSecret>> futures = new ArrayList<>();
            for (int i = 0; i < CREATORS; i++) {
                futures.add(threads.submit(creator));
            }
            for (Future<StampSecret> future : futures) {
                secrets.add(future.get());
            }
        }

        assertThat(secrets).containsOnly(StampSecretStore.loadOrCreate(stateDir, new SecureRandom()));
    }
}

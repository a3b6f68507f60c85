package dev.switchboard.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Where backoff jitter comes from: a generator asked for on each draw, on the drawing thread. */
class BackoffTest {
    @Test
    void everyDelayAsksTheSupplierOnTheThreadThatWaits() throws Exception {
        AtomicInteger draws = new AtomicInteger();
        Set<Thread> drawingThreads = ConcurrentHashMap.newKeySet();
        Supplier<RandomGenerator> counting = () -> {
            draws.incrementAndGet();
            drawingThreads.add(Thread.currentThread());
            return ThreadLocalRandom.current();
        };
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), counting);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(new Thread(() -> {
                for (int i = 1; i <= 25; i++) {
                    backoff.delay(i % 6 + 1);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(10_000);
        }

        assertThat(draws).hasValue(100); // 4 threads x 25 delays: one draw source per delay
        assertThat(drawingThreads).containsExactlyInAnyOrderElementsOf(threads);
    }

    @Test
    void aSeededSupplierGivesExactlyTheSameWaits() {
        Random seeded = new Random(42);
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> seeded);

        // new Random(42).nextLong(101), nextLong(201), nextLong(401), nextLong(801): ceilings 100..800 ms.
        assertThat(List.of(backoff.delay(1), backoff.delay(2), backoff.delay(3), backoff.delay(4)))
                .containsExactly(
                        Duration.ofMillis(2), Duration.ofMillis(106), Duration.ofMillis(260), Duration.ofMillis(517));
    }
}

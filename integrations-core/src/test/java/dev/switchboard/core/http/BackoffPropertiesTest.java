package dev.switchboard.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Full jitter stays in [0, min(cap, base * 2^(n-1))] for every attempt, base, cap and seed. */
class BackoffPropertiesTest {
    @Property(tries = 3000)
    void jitterStaysWithinItsCeilingAndTheCapHolds(
            @ForAll @LongRange(min = 1, max = 60_000) long baseMillis,
            @ForAll @LongRange(min = 0, max = 3_600_000) long extraCapMillis,
            @ForAll @IntRange(min = 1, max = 200) int attempt,
            @ForAll long seed) {
        Duration base = Duration.ofMillis(baseMillis);
        Duration cap = Duration.ofMillis(baseMillis + extraCapMillis);
        Random random = new Random(seed);
        Backoff backoff = new Backoff(base, cap, () -> random);

        Duration delay = backoff.delay(attempt);
        double exponential = baseMillis * Math.pow(2, attempt - 1);
        long expectedCeiling = (long) Math.min(cap.toMillis(), exponential);

        assertThat(backoff.ceiling(attempt).toMillis()).isEqualTo(expectedCeiling);
        assertThat(delay).isBetween(Duration.ZERO, backoff.ceiling(attempt));
        assertThat(delay).isLessThanOrEqualTo(cap);
    }

    @Property(tries = 200)
    void theDrawsSpreadOverTheWholeRange(@ForAll long seed) {
        Random random = new Random(seed);
        Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), () -> random);
        long below = 0;
        long above = 0;
        for (int i = 0; i < 400; i++) {
            long d = backoff.delay(1).toMillis();
            below += d < 250 ? 1 : 0;
            above += d > 750 ? 1 : 0;
        }
        // Uniform on [0, 1000]: a quarter on each side is expected; a fixed or half-jitter delay fails this.
        assertThat(below).isGreaterThan(50);
        assertThat(above).isGreaterThan(50);
    }
}

package dev.switchboard.core.internal.http;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.time.Sleeper;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;

/** A budget's tokens in this process: a Bucket4j bucket on the injected clock. */
final class LocalBudget implements Budget {
    private final Bucket bucket;
    private final Sleeper sleeper;

    LocalBudget(BudgetSettings settings, Clock clock, Sleeper sleeper) {
        this.bucket = Bucket.builder()
                .addLimit(Budget.bandwidth(settings))
                .withCustomTimePrecision(new ClockTimeMeter(clock))
                .build();
        this.sleeper = sleeper;
    }

    @Override
    public long take(Duration maxWait) throws InterruptedException {
        return Budget.take(bucket, maxWait, sleeper);
    }

    @Override
    public Duration untilNextToken() {
        return Duration.ofNanos(Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    @Override
    public void drainTo(long remaining) {
        long ours = bucket.getAvailableTokens();
        if (ours > remaining) {
            bucket.tryConsumeAsMuchAsPossible(ours - remaining);
        }
    }

    @Override
    public void refill() {
        bucket.reset();
    }
}

package dev.switchboard.core.internal.http;

import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.RateBudgetStore;
import dev.switchboard.core.time.Sleeper;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A budget's tokens in PostgreSQL, shared by every instance using the same table: one row per bucket key,
 * read and written by Bucket4j's {@code PostgreSQLSelectForUpdateBasedProxyManager}.
 *
 * <p>Why select-for-update rather than Bucket4j's advisory-lock manager: our keys are strings
 * ({@code hubspot:{portal}:search}), which the row lock takes as they are, while an advisory lock needs a
 * 64-bit number per key (a hash, whose collisions would make two budgets wait for each other) and shares
 * one lock space with whatever else the application locks. The row lock lasts one short transaction:
 * a permit is a {@code SELECT ... FOR UPDATE} and an {@code UPDATE}, committed at once; a blocking take
 * reserves its token in that transaction and waits afterwards, without holding the lock.
 *
 * <p>Time: Bucket4j computes refills on the client, with the clock it is given, here the Switchboard's
 * injected clock (the system clock in production). Instances' clocks should agree (NTP): an instance
 * whose clock runs ahead by {@code s} refills the bucket early by {@code s}, once.
 *
 * <p>A database that fails (unreachable, a lock held longer than the request timeout) fails the call with
 * a {@link TransientException}; no token was taken and no request sent.
 */
final class SharedRateBudget implements Budget {
    private static final String NAME = "rate-budget-store";

    private final String key;
    private final BudgetSettings settings;
    private final BucketProxy bucket;
    private final Sleeper sleeper;

    private SharedRateBudget(String key, BudgetSettings settings, BucketProxy bucket, Sleeper sleeper) {
        this.key = key;
        this.settings = settings;
        this.bucket = bucket;
        this.sleeper = sleeper;
    }

    @Override
    public long take(Duration maxWait) throws InterruptedException {
        try {
            return Budget.take(bucket, maxWait, sleeper);
        } catch (BucketExceptions.BucketExecutionException e) {
            throw failure("take a permit", e);
        }
    }

    @Override
    public Duration untilNextToken() {
        return remote(
                "estimate the wait",
                () -> Duration.ofNanos(
                        Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill())));
    }

    /**
     * Two statements, not one: another instance may take tokens between them, and then this drains more
     * than the vendor asked (the bucket is at zero, never below): erring towards fewer requests.
     */
    @Override
    public void drainTo(long remaining) {
        remote("drain to the vendor's count", () -> {
            long ours = bucket.getAvailableTokens();
            if (ours > remaining) {
                bucket.tryConsumeAsMuchAsPossible(ours - remaining);
            }
            return null;
        });
    }

    /** Also stores this instance's size for the key: a reset is how a changed size reaches the table. */
    @Override
    public void refill() {
        remote("refill", () -> {
            bucket.replaceConfiguration(Budget.configuration(settings), TokensInheritanceStrategy.RESET);
            return null;
        });
    }

    private <T> T remote(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (BucketExceptions.BucketExecutionException e) {
            throw failure(what, e);
        }
    }

    private TransientException failure(String what, RuntimeException e) {
        SQLException sql = null;
        for (Throwable t = e; t != null && sql == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                sql = s;
            }
        }
        String state = sql == null || sql.getSQLState() == null ? "none" : sql.getSQLState();
        String why = state.equals("57014") || e instanceof io.github.bucket4j.TimeoutException
                ? "took longer than the store's request timeout (another instance holds the budget's row, or the"
                        + " database is overloaded)"
                : "failed (SQLState " + state + ")";
        return new TransientException(
                NAME,
                "rate-budget",
                "the shared rate budget '" + key + "' could not " + what + ": PostgreSQL " + why
                        + "; no request was sent, try again",
                e);
    }

    /** The shared buckets of one {@link RateBudgetStore}: one Bucket4j proxy manager for every key. */
    static final class Backend {
        private final ProxyManager<String> buckets;
        private final Sleeper sleeper;

        Backend(RateBudgetStore store, Clock clock, Sleeper sleeper) {
            DataSource dataSource = Objects.requireNonNull(store.dataSource(), "a shared store has a data source");
            this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table(store.table())
                    .requestTimeout(store.requestTimeout())
                    .clientClock(new ClockTimeMeter(clock))
                    .build();
            this.sleeper = sleeper;
        }

        /** The shared bucket of {@code key}; its row is written on first use, with {@code settings}. */
        Budget budget(String key, BudgetSettings settings) {
            BucketProxy bucket = buckets.builder().build(key, () -> Budget.configuration(settings));
            return new SharedRateBudget(key, settings, bucket, sleeper);
        }
    }
}

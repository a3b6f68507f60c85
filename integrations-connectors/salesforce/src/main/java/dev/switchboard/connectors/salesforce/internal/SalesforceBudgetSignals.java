package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.http.BudgetSignal;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.VendorResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns {@code Sforce-Limit-Info} into budget signals. Above the slow-down line the signal only
 * caps the local bucket at what the org has left. Below it (by default the last 5% of the daily
 * allowance), every answer pauses the budget for {@code 24h / remaining}: what is left is spread
 * over the rolling 24-hour window instead of spent in a burst, so our calls slow down and then fail
 * locally with "rate limited, retry after" before Salesforce has to refuse one; other integrations of
 * the org keep some allowance.
 */
public final class SalesforceBudgetSignals implements BudgetSignalReader {
    private static final Duration WINDOW = Duration.ofDays(1);

    private final double slowDownFraction;

    /** @param slowDownFraction the share of the daily allowance below which requests are paced, 0 to 1 */
    public SalesforceBudgetSignals(double slowDownFraction) {
        if (!(slowDownFraction >= 0 && slowDownFraction < 1)) {
            throw new IllegalArgumentException("slowDownFraction must be in [0, 1), got " + slowDownFraction);
        }
        this.slowDownFraction = slowDownFraction;
    }

    @Override
    public Optional<BudgetSignal> read(VendorResponse response, Clock clock) {
        return SalesforceLimitInfo.of(response).map(this::signal);
    }

    BudgetSignal signal(SalesforceLimitInfo info) {
        long remaining = info.remaining();
        long slowDownAt = (long) Math.ceil(info.max() * slowDownFraction);
        if (remaining > slowDownAt) {
            return new BudgetSignal(remaining - slowDownAt, null);
        }
        if (remaining == 0) {
            return new BudgetSignal(0, SalesforceClassifier.DAILY_QUOTA_RECHECK);
        }
        return new BudgetSignal(0, WINDOW.dividedBy(remaining));
    }
}

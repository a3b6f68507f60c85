package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.http.BudgetSignal;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.VendorResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads {@code X-HubSpot-RateLimit-Remaining} and {@code -Interval-Milliseconds}: what is left of the
 * portal's rolling window. A rolling window has no reset instant; when nothing remains, waiting one
 * whole interval is the only wait that surely frees room. Search answers are skipped: their budget
 * is search's own per-second limit, which these headers do not describe.
 */
public final class HubSpotBudgetSignals implements BudgetSignalReader {
    @Override
    public Optional<BudgetSignal> read(VendorResponse response, Clock clock) {
        if (response.request().url().endsWith("/search")) {
            return Optional.empty();
        }
        String remaining = response.header("X-HubSpot-RateLimit-Remaining");
        String interval = response.header("X-HubSpot-RateLimit-Interval-Milliseconds");
        if (remaining == null) {
            return Optional.empty();
        }
        try {
            long left = Long.parseLong(remaining.trim());
            Duration window =
                    interval == null ? Duration.ofSeconds(10) : Duration.ofMillis(Long.parseLong(interval.trim()));
            return Optional.of(new BudgetSignal(left, window));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

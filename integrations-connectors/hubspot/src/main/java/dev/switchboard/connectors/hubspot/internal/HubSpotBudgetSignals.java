package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.http.BudgetSignal;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.VendorResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads HubSpot's rate-limit headers into what the request's budget may still spend:
 * <ul>
 *   <li>{@code X-HubSpot-RateLimit-Remaining} and {@code -Interval-Milliseconds}: what is left of the
 *       portal's rolling window, as a {@linkplain BudgetSignal#rollingWindow rolling} signal. A rolling
 *       window has no reset instant; when nothing remains, the budget waits until the oldest of its own
 *       requests answered within the interval has aged out of it (at most one whole interval).</li>
 *   <li>{@code X-HubSpot-RateLimit-Daily-Remaining}: what is left of the portal's daily allowance. The
 *       budget never spends more than that, and when it is zero every budget of the portal pauses until
 *       the next midnight (UTC: HubSpot resets at midnight of the portal's time zone, which the headers do
 *       not say, so a pause may end early and meet the DAILY 429, which waits again), instead of sending
 *       requests HubSpot would refuse for the rest of the day.</li>
 * </ul>
 * Search answers count against search's own per-second limit, which the window headers do not describe:
 * only their daily header is read.
 */
public final class HubSpotBudgetSignals implements BudgetSignalReader {
    @Override
    public Optional<BudgetSignal> read(VendorResponse response, Clock clock) {
        Long daily = number(response.header("X-HubSpot-RateLimit-Daily-Remaining"));
        Long remaining = response.request().url().endsWith("/search")
                ? null
                : number(response.header("X-HubSpot-RateLimit-Remaining"));
        if (daily != null && daily <= 0) {
            return Optional.of(new BudgetSignal(0, untilMidnight(clock)));
        }
        if (remaining == null) {
            return daily == null || response.request().url().endsWith("/search")
                    ? Optional.empty()
                    : Optional.of(new BudgetSignal(daily, untilMidnight(clock)));
        }
        Long interval = number(response.header("X-HubSpot-RateLimit-Interval-Milliseconds"));
        Duration window = interval == null ? Duration.ofSeconds(10) : Duration.ofMillis(interval);
        if (daily != null && daily < remaining) {
            return Optional.of(new BudgetSignal(daily, untilMidnight(clock)));
        }
        return Optional.of(BudgetSignal.rollingWindow(remaining, window));
    }

    private static Duration untilMidnight(Clock clock) {
        Instant now = clock.instant();
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC)
                .plusDays(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        return Duration.between(now, midnight);
    }

    private static @Nullable Long number(@Nullable String header) {
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

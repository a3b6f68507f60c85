package dev.switchboard.core.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads a vendor's rate-limit headers into a {@link BudgetSignal}, so the budget slows down before
 * the vendor has to say 429.
 */
@FunctionalInterface
public interface BudgetSignalReader {
    Optional<BudgetSignal> read(VendorResponse response, Clock clock);

    /** Reads nothing. */
    static BudgetSignalReader none() {
        return (response, clock) -> Optional.empty();
    }

    /**
     * The common headers: {@code RateLimit-Remaining}/{@code RateLimit-Reset} (IETF draft, reset in
     * seconds) and {@code X-RateLimit-Remaining}/{@code X-RateLimit-Reset} (seconds, or epoch seconds
     * when the value is a date after 2001).
     */
    static BudgetSignalReader standard() {
        return (response, clock) -> {
            String remaining = first(response, "RateLimit-Remaining", "X-RateLimit-Remaining");
            if (remaining == null) {
                return Optional.empty();
            }
            try {
                long left = Long.parseLong(remaining.trim());
                String reset = first(response, "RateLimit-Reset", "X-RateLimit-Reset");
                Duration after = null;
                if (reset != null) {
                    long value = Long.parseLong(reset.trim());
                    after = value > 1_000_000_000L
                            ? Duration.ofSeconds(
                                    Math.max(0, value - clock.instant().getEpochSecond()))
                            : Duration.ofSeconds(value);
                }
                return Optional.of(new BudgetSignal(left, after));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        };
    }

    private static @Nullable String first(VendorResponse response, String... names) {
        for (String name : names) {
            String v = response.header(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}

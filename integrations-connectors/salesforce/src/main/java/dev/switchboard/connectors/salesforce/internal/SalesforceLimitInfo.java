package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonObject;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The org's API usage from {@code Sforce-Limit-Info: api-usage=18/5000; per-app-api-usage=17/250(appName=...)}, sent on every REST
 * response: requests counted in the rolling 24 hours, and the org's daily allowance.
 */
public record SalesforceLimitInfo(long used, long max) {
    public static final String HEADER = "Sforce-Limit-Info";
    private static final Pattern API_USAGE = Pattern.compile("(?:^|[;,\\s])api-usage=(\\d{1,18})/(\\d{1,18})");

    public long remaining() {
        return Math.max(0, max - used);
    }

    public boolean exhausted() {
        return used >= max;
    }

    public static Optional<SalesforceLimitInfo> of(VendorResponse response) {
        return parse(response.header(HEADER));
    }

    /** The daily API requests of a {@code GET /limits} answer ({@code DailyApiRequests.Max/Remaining}). */
    public static Optional<SalesforceLimitInfo> fromLimits(JsonObject limits) {
        JsonObject daily = limits.object("DailyApiRequests");
        if (daily == null || daily.number("Max") == null || daily.number("Remaining") == null) {
            return Optional.empty();
        }
        long max = daily.number("Max").longValue();
        return max <= 0
                ? Optional.empty()
                : Optional.of(
                        new SalesforceLimitInfo(max - daily.number("Remaining").longValue(), max));
    }

    public static Optional<SalesforceLimitInfo> parse(@Nullable String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = API_USAGE.matcher(header);
        if (!m.find()) {
            return Optional.empty();
        }
        long max = Long.parseLong(m.group(2));
        return max <= 0 ? Optional.empty() : Optional.of(new SalesforceLimitInfo(Long.parseLong(m.group(1)), max));
    }
}

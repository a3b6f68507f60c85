package dev.switchboard.connectors.slack;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The connection settings the Slack connector reads (from {@code ConnectionConfig.settings()}).
 * Immutable; none is a secret.
 *
 * @param teamId the workspace id ({@code T...}), required: it is the tenant of every record's ACL and
 *     part of every rate-budget key
 * @param threadLookback how far before the checkpoint an incremental read of {@code messages} looks
 *     for threads that received new replies (a reply does not bring its old parent back into
 *     {@code conversations.history})
 * @param requestsPerMinute per-method overrides of the tier limits, in requests a minute (for
 *     {@code chat.postMessage}: a minute per channel), e.g. {@code conversations.history=1} for an app
 *     that is not in the Slack Marketplace; they size the workspace's budget keys through
 *     {@link SlackConnector#budgetFor}
 */
public record SlackSettings(String teamId, Duration threadLookback, Map<String, Integer> requestsPerMinute) {
    /** Setting key of {@link #teamId()}. */
    public static final String TEAM_ID = "team_id";
    /** Setting key of {@link #threadLookback()}, an ISO-8601 duration such as {@code P7D}. */
    public static final String THREAD_LOOKBACK = "thread_lookback";
    /** Prefix of per-method rate overrides: {@code rate.conversations.history=50}. */
    public static final String RATE_PREFIX = "rate.";

    public SlackSettings {
        Objects.requireNonNull(teamId, "teamId");
        if (!teamId.matches("[TE][A-Z0-9]+")) {
            throw new IllegalArgumentException(
                    "team_id must be a Slack workspace id such as T0123ABCD, got '" + teamId + "'");
        }
        if (threadLookback.isNegative()) {
            throw new IllegalArgumentException("thread_lookback must not be negative");
        }
        requestsPerMinute = Map.copyOf(requestsPerMinute);
        requestsPerMinute.forEach((method, n) -> {
            if (n < 1) {
                throw new IllegalArgumentException("rate." + method + " must be at least 1 a minute");
            }
        });
    }

    /**
     * Reads the settings of a connection.
     *
     * @throws IllegalArgumentException naming the setting that is missing or malformed
     */
    public static SlackSettings from(Map<String, String> settings) {
        String team = settings.get(TEAM_ID);
        if (team == null || team.isBlank()) {
            throw new IllegalArgumentException("the Slack connection needs the setting '" + TEAM_ID
                    + "' (the workspace id, team.id in the oauth.v2.access answer)");
        }
        Duration lookback = Duration.ofDays(7);
        String l = settings.get(THREAD_LOOKBACK);
        if (l != null) {
            try {
                lookback = Duration.parse(l);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "thread_lookback must be an ISO-8601 duration such as P7D, got '" + l + "'", e);
            }
        }
        Map<String, Integer> rates = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith(RATE_PREFIX)) {
                try {
                    rates.put(k.substring(RATE_PREFIX.length()), Integer.parseInt(v.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            k + " must be a whole number of requests a minute, got '" + v + "'", e);
                }
            }
        });
        return new SlackSettings(team.trim(), lookback, rates);
    }
}

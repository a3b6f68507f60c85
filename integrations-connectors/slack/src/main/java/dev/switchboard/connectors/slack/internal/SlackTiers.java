package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.http.BudgetSettings;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Slack's per-method rate tiers, as its documentation lists them: Tier 1 about 1 request a minute,
 * Tier 2 about 20, Tier 3 about 50, Tier 4 about 100; {@code chat.postMessage} is "special": about
 * one message a second per channel. Limits apply per method, per workspace, per app.
 */
public final class SlackTiers {
    private SlackTiers() {}

    /** Requests a minute of each tier (index = tier). */
    private static final int[] PER_MINUTE = {0, 1, 20, 50, 100};

    private static final Map<String, Integer> TIER_OF = Map.of(
            "conversations.list", 2,
            "conversations.info", 3,
            "conversations.history", 3,
            "conversations.replies", 3,
            "users.list", 2,
            "auth.test", 4);

    /** The method chat.postMessage, limited per channel rather than by tier. */
    public static final String POST_MESSAGE = "chat.postMessage";

    private static final String PREFIX = "slack:";

    /** The tier of a method, or 0 for one limited otherwise (chat.postMessage). */
    public static int tierOf(String method) {
        return TIER_OF.getOrDefault(method, 3);
    }

    public static int perMinute(int tier) {
        return PER_MINUTE[Math.max(1, Math.min(4, tier))];
    }

    /**
     * The budget key of a request: {@code slack:{team}:tier{n}:{method}} (Slack counts each method
     * on its own; the tier in the key says which limit applies), and
     * {@code slack:{team}:chat.postMessage:{channel}} for posts.
     */
    public static String budgetKey(String team, String method, @Nullable String channel) {
        if (method.equals(POST_MESSAGE)) {
            return PREFIX + team + ":" + POST_MESSAGE + ":" + channel;
        }
        return PREFIX + team + ":tier" + tierOf(method) + ":" + method;
    }

    /**
     * How much longer than Slack's window the budget spreads a window's requests over: 5%, three
     * seconds of a minute. Slack counts a window on its own clock, by when requests arrive, so a request
     * sent exactly a window after the limit-th one before it can still land inside Slack's window (seen
     * at 59.991 s of a minute at 10 a minute, and once in 66 calls at 50 a minute). The margin covers
     * that much clock and network skew.
     */
    public static final double PACING_MARGIN = 0.05;

    /** A window stretched by {@link #PACING_MARGIN}. */
    static Duration paced(Duration window) {
        return window.plusNanos((long) (window.toNanos() * PACING_MARGIN));
    }

    /**
     * The size of a key made by {@link #budgetKey}, or null for any other key: one request at a time,
     * refilled at the method's limit per window stretched by {@link #PACING_MARGIN}; the limit is the
     * workspace's {@code rate.{method}} setting (requests a minute; for posts, a minute per channel) when
     * {@code ratesOfTeam} gives one, else the tier's; a post at one a second per channel. A token bucket
     * of capacity 1 refilled at r per stretched window spaces requests by a stretched window over r, so
     * any stretch shorter than the stretched window holds at most r of them: however the requests fall,
     * no window Slack counts (its own, up to the margin longer than ours) holds more than r.
     */
    public static @Nullable BudgetSettings budget(
            String budgetKey, Function<String, @Nullable Map<String, Integer>> ratesOfTeam) {
        String[] parts = budgetKey.split(":", 4);
        if (parts.length < 4 || !budgetKey.startsWith(PREFIX)) {
            return null;
        }
        boolean post = parts[2].equals(POST_MESSAGE);
        String method = post ? POST_MESSAGE : parts[3];
        Map<String, Integer> rates = ratesOfTeam.apply(parts[1]);
        Integer override = rates == null ? null : rates.get(method);
        if (override != null) {
            return new BudgetSettings(1, override, paced(Duration.ofMinutes(1)));
        }
        return post
                ? new BudgetSettings(1, 1, paced(Duration.ofSeconds(1)))
                : new BudgetSettings(1, perMinute(tierOf(method)), paced(Duration.ofMinutes(1)));
    }
}

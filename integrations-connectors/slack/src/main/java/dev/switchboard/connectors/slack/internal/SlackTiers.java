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
            "users.conversations", 3,
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
     * The size of a key made by {@link #budgetKey}, or null for any other key: a rolling window
     * ({@link BudgetSettings#rollingWindow(long, Duration)}, margin 5%) of the method's limit per minute,
     * which is the workspace's {@code rate.{method}} setting (requests a minute; for posts, a minute per
     * channel) when {@code ratesOfTeam} gives one, else the tier's; a post at one a second per channel.
     *
     * <p>Slack's tiers are "1+", "20+", "50+" and "100+ per minute", with "sporadic bursts welcome"
     * (docs.slack.dev/apis/web-api/rate-limits): the budget takes the burst the window leaves, 5% of
     * the limit (3 at once at Tier 3, 5 at Tier 4, 1 at Tiers 1 and 2), and runs at 95% of the limit after
     * it, so no minute by our clock holds more than the tier allows and a long read takes at most 1.053
     * times Slack's minimum. Slack counts by arrival on its own clock; a 429's {@code Retry-After} paces
     * whatever skew the spacing does not cover.
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
            return BudgetSettings.rollingWindow(override, Duration.ofMinutes(1));
        }
        return post
                ? BudgetSettings.rollingWindow(1, Duration.ofSeconds(1))
                : BudgetSettings.rollingWindow(perMinute(tierOf(method)), Duration.ofMinutes(1));
    }
}

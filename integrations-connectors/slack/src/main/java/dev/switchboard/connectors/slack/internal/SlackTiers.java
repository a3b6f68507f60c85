package dev.switchboard.connectors.slack.internal;

import java.util.Map;
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
      return "slack:" + team + ":" + POST_MESSAGE + ":" + channel;
    }
    return "slack:" + team + ":tier" + tierOf(method) + ":" + method;
  }
}

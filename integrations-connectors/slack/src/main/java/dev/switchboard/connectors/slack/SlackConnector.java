package dev.switchboard.connectors.slack;

import dev.switchboard.connectors.slack.internal.SlackDescriptors;
import dev.switchboard.connectors.slack.internal.SlackResponseClassifier;
import dev.switchboard.connectors.slack.internal.SlackSession;
import dev.switchboard.connectors.slack.internal.SlackTiers;
import dev.switchboard.connectors.slack.internal.SlackWebhooks;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.ResponseClassifier;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The Slack connector (id {@code slack}), found by {@link java.util.ServiceLoader}.
 *
 * <p>Streams: {@code conversations} (public and private channels the token can see),
 * {@code messages} (top-level messages and thread replies, incremental on {@code ts}), {@code users}.
 * Actions: {@code post_message}, {@code reply_in_thread}, each posted at most once.
 * Configure the connection's base URL as {@code https://slack.com} and its settings as
 * {@link SlackSettings} describes ({@code team_id} is required). See {@code docs/connectors/slack.md}.
 *
 * <p>ACLs come from Slack's own facts: public channels and their messages are visible to the workspace,
 * private channels, group DMs and DMs (and their messages) to the group {@code slack:channel:{id}}, which an
 * application puts into its users' {@code AccountIdentity.groups()} from their memberships
 * ({@link SlackMemberships}). Reads push the row scope down as a channel list: a private conversation the
 * reader is not a member of is not read from Slack at all.
 *
 * <p>Rate budgets: every request carries the key of Slack's own bucket
 * ({@code slack:{team}:tier{n}:{method}}, {@code slack:{team}:chat.postMessage:{channel}}), and
 * {@link #budgetFor} sizes each key to its method's tier, or to the connection's
 * {@code rate.{method}} setting. Slack counts per workspace and app, so the connector remembers
 * those settings per workspace (the strictest wins when two connections to one workspace
 * disagree); a budget configured on the connection ({@code ConnectionConfig.budget}) overrides
 * every key instead. Slack's own signal, {@code Retry-After} on a 429 or a {@code ratelimited}
 * answer, pauses the key in core.
 *
 * <p>No key is declared at build ({@code Connector.budgetKeys} keeps its default, the connection id):
 * a post's key names its channel, known only per request, and a method key's size is merged across
 * the workspace's connections as they open, so it is final only once all have. Two connections that
 * configure different budgets ({@code ConnectionConfig.budget}) for one workspace are reported at
 * ERROR when the second first spends a shared key.
 */
public final class SlackConnector implements Connector {
    /** The connector id. */
    public static final String ID = "slack";
    /**
     * The name of the connection's secret that holds the Slack app's signing secret, for Events API
     * webhooks: store it under {@code ConnectionConfig.secretKey(SIGNING_SECRET)}.
     */
    public static final String SIGNING_SECRET = SlackWebhooks.SECRET;
    /** The base URL of the Web API; methods are under {@code /api/}. */
    public static final String BASE_URL = "https://slack.com";

    private final ResponseClassifier classifier = new SlackResponseClassifier();
    /** The {@code rate.{method}} settings of the connections opened, by workspace. */
    private final Map<String, Map<String, Integer>> ratesByTeam = new ConcurrentHashMap<>();

    @Override
    public ConnectorDescriptor descriptor() {
        return SlackDescriptors.DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        SlackSettings settings = SlackSettings.from(context.connection().settings());
        ratesByTeam.merge(settings.teamId(), settings.requestsPerMinute(), SlackConnector::strictest);
        return new SlackSession(context.connection().id(), settings, context.clock());
    }

    private static Map<String, Integer> strictest(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> merged = new HashMap<>(a);
        b.forEach((method, n) -> merged.merge(method, n, Math::min));
        return Map.copyOf(merged);
    }

    /**
     * True: a read narrows what it asks Slack for to the reader's row scope (it skips the private
     * conversations the reader is not a member of), so core keys cached pages by principal.
     */
    @Override
    public boolean readsDependOnPrincipal() {
        return true;
    }

    @Override
    public ResponseClassifier responseClassifier() {
        return classifier;
    }

    /**
     * Sizes one of Slack's buckets as a rolling window of the method's tier limit (or its
     * {@code rate.{method}} setting) per minute: {@code BudgetSettings.rollingWindow(limit, 1 min)}, the
     * 5% margin taken as a burst at once (3 at Tier 3) and 95% of the limit after it, so no minute holds
     * more than the tier allows; posts as {@code rollingWindow(1, 1 s)} per channel, one at once and then
     * one per 1.05 s. Null for a key that is not Slack's.
     */
    @Override
    public @Nullable BudgetSettings budgetFor(String budgetKey) {
        return SlackTiers.budget(budgetKey, ratesByTeam::get);
    }

    /** For a request without a Slack key (the connector sends none): Tier 4, Slack's fastest, 100 a minute. */
    @Override
    public BudgetSettings defaultBudget() {
        return BudgetSettings.rollingWindow(SlackTiers.perMinute(4), Duration.ofMinutes(1));
    }
}

package dev.switchboard.connectors.hubspot;

import dev.switchboard.connectors.hubspot.internal.HubSpotBudgetSignals;
import dev.switchboard.connectors.hubspot.internal.HubSpotRecords;
import dev.switchboard.connectors.hubspot.internal.HubSpotResponseClassifier;
import dev.switchboard.connectors.hubspot.internal.HubSpotSession;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.ResponseClassifier;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * HubSpot CRM v3, found by {@link java.util.ServiceLoader} as connector {@code hubspot}.
 *
 * <p>Streams: {@code contacts}, {@code companies}, {@code deals}, {@code tickets} (incremental on
 * {@code updatedAt}, through the search API), {@code owners}, {@code associations} and
 * {@code properties} (full reads). The CRM objects are read by key, never by search offset, re-read a
 * look-back before the checkpoint for changes search indexed late, and return archived records as
 * tombstones. Actions: {@code update_ticket}, {@code create_note}, {@code create_task}. Webhooks: HubSpot's
 * CRM object events, verified with the v3 signature and the connection's secret {@value #WEBHOOK_SECRET}.
 * Connection settings: {@value #PORTAL_ID} (required), {@value #SEARCH_LOOKBACK} and
 * {@value #SEARCH_RESULT_CAP} (optional). Base URL: {@value #BASE_URL}. OAuth facts are in
 * {@link HubSpotOAuth}.
 *
 * <p>Rate budgets are the portal's, shared by every connection to it: {@code hubspot:{portalId}:10s}
 * for the rolling 10-second window ({@link #defaultBudget()}) and {@code hubspot:{portalId}:search}
 * for search's own per-second limit ({@link #budgetFor(String)}). HubSpot's error answers become the
 * pipeline's typed errors through {@link HubSpotResponseClassifier}.
 */
public final class HubSpotConnector implements Connector {
    /** The API's base URL. */
    public static final String BASE_URL = "https://api.hubapi.com";
    /** Connection setting: the portal (hub id) the grant belongs to; the tenant of every record. */
    public static final String PORTAL_ID = "portalId";
    /**
     * Connection setting: who may read a CRM record (contacts, companies, deals, tickets), to match the
     * portal's permission set, which HubSpot does not expose per record: {@code portal} (the default, every
     * user: "Everything"), {@code team} (its owner and the members of its team: "Team only") or
     * {@code owner} (its owner: "Owned only"). With {@code team} or {@code owner} records are private and
     * reads push the principal's owner id (and teams) down to the search.
     */
    public static final String RECORD_VISIBILITY = "recordVisibility";
    /**
     * Connection setting, kept for old configurations: the most results one search query may page through
     * (1 to 10,000). Reads no longer page a query with {@code after} (every page is a new query from the
     * key reached), so the cap is never reached and the value only is checked.
     */
    public static final String SEARCH_RESULT_CAP = "searchResultCap";
    /**
     * Connection setting: how far before a checkpoint a resumed read of a CRM object starts again, as an
     * ISO-8601 duration ({@code PT1M}, the default; {@code PT0S} for none). HubSpot's search indexes
     * changes asynchronously; a change indexed later than this after a read passed its modstamp is lost
     * to polling (webhooks still see it). Records re-read from the overlap come again, at least once.
     */
    public static final String SEARCH_LOOKBACK = "searchLookback";
    /** The default {@value #SEARCH_LOOKBACK}. */
    public static final Duration DEFAULT_SEARCH_LOOKBACK = Duration.ofMinutes(1);
    /**
     * The name of the connection secret that signs HubSpot's webhooks (the app's client secret), stored
     * under {@code ConnectionConfig.secretKey(WEBHOOK_SECRET)}.
     */
    public static final String WEBHOOK_SECRET = "client-secret";

    private static final ConnectorDescriptor DESCRIPTOR = HubSpotSession.descriptor();
    private static final ResponseClassifier CLASSIFIER = new HubSpotResponseClassifier();
    private static final BudgetSignalReader SIGNALS = new HubSpotBudgetSignals();
    /**
     * HubSpot's lowest 10-second limit: 100 per app on Free and Starter ("Privately distributed apps |
     * (Any Hub) Free and Starter | 100 / app", developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines);
     * Professional and Enterprise allow 190 (changelog "Increasing our API limits"), a public app 110
     * per installing account ("This excludes the CRM Search API"). A connection on a larger plan
     * configures {@code BudgetSettings.rollingWindow(190, Duration.ofSeconds(10))}.
     */
    static final long TEN_SECOND_LIMIT = 100;
    /**
     * "The search endpoints are rate limited to five requests per second per account"
     * (developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm, Limits). Older changelog
     * entries say four; the guide's five is the current figure.
     */
    static final long SEARCH_LIMIT_PER_SECOND = 5;

    private static final BudgetSettings TEN_SECOND_WINDOW =
            BudgetSettings.rollingWindow(TEN_SECOND_LIMIT, Duration.ofSeconds(10));
    private static final BudgetSettings SEARCH =
            BudgetSettings.rollingWindow(SEARCH_LIMIT_PER_SECOND, Duration.ofSeconds(1));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        String portal = context.connection().settings().get(PORTAL_ID);
        if (portal == null || !portal.matches("[0-9]+")) {
            throw new IllegalArgumentException(
                    "HubSpot connection '" + context.connection().id() + "' needs the setting '" + PORTAL_ID
                            + "' (the portal's numeric hub id)");
        }
        String cap = context.connection().settings().getOrDefault(SEARCH_RESULT_CAP, "10000");
        int searchResultCap;
        try {
            searchResultCap = Integer.parseInt(cap);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "HubSpot setting '" + SEARCH_RESULT_CAP + "' must be a number: " + cap, e);
        }
        if (searchResultCap < 1 || searchResultCap > 10_000) {
            throw new IllegalArgumentException(
                    "HubSpot setting '" + SEARCH_RESULT_CAP + "' must be 1 to 10000: " + cap);
        }
        String lookbackSetting = context.connection().settings().get(SEARCH_LOOKBACK);
        Duration lookback;
        try {
            lookback = lookbackSetting == null ? DEFAULT_SEARCH_LOOKBACK : Duration.parse(lookbackSetting);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "HubSpot setting '" + SEARCH_LOOKBACK + "' must be an ISO-8601 duration such as PT1M: "
                            + lookbackSetting,
                    e);
        }
        if (lookback.isNegative()) {
            throw new IllegalArgumentException(
                    "HubSpot setting '" + SEARCH_LOOKBACK + "' must not be negative: " + lookbackSetting);
        }
        String visibilitySetting = context.connection().settings().getOrDefault(RECORD_VISIBILITY, "portal");
        HubSpotRecords.RecordVisibility visibility;
        try {
            visibility = HubSpotRecords.RecordVisibility.parse(visibilitySetting);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "HubSpot setting '" + RECORD_VISIBILITY + "' must be portal, team or owner", e);
        }
        return new HubSpotSession(context.connection().id(), portal, lookback, context.clock(), visibility);
    }

    /**
     * True: with {@value #RECORD_VISIBILITY} {@code owner} or {@code team}, a read narrows its search to the
     * records the reading principal may see, so its pages differ by principal.
     */
    @Override
    public boolean readsDependOnPrincipal() {
        return true;
    }

    /**
     * The portal's two buckets, {@code hubspot:{portalId}:10s} and {@code hubspot:{portalId}:search}:
     * every request of the connection spends one of them, so two connections to one portal that size
     * them differently fail at build. None for a missing or malformed {@value #PORTAL_ID}, which
     * {@link #open} reports.
     */
    @Override
    public Set<String> budgetKeys(ConnectionConfig config) {
        String portal = config.settings().get(PORTAL_ID);
        if (portal == null || !portal.matches("[0-9]+")) {
            return Set.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        keys.add(HubSpotSession.tenSecondBudgetKey(portal));
        keys.add(HubSpotSession.searchBudgetKey(portal));
        return keys;
    }

    @Override
    public ResponseClassifier responseClassifier() {
        return CLASSIFIER;
    }

    @Override
    public BudgetSignalReader budgetSignals() {
        return SIGNALS;
    }

    /**
     * The portal's rolling 10-second window, budget key {@code hubspot:{portalId}:10s} (and any key
     * the connector does not size itself): {@code BudgetSettings.rollingWindow(100, 10 s)}, 5 at once
     * and 95 per 10 seconds, so no 10-second window sees more than 100 (HubSpot's limit on its lowest
     * plan) while a long read runs at 9.5 requests a second. The rate-limit headers drain it further
     * when HubSpot says less remains.
     */
    @Override
    public BudgetSettings defaultBudget() {
        return TEN_SECOND_WINDOW;
    }

    /**
     * Search's own limit, budget key {@code hubspot:{portalId}:search}:
     * {@code BudgetSettings.rollingWindow(5, 1 s)}, one request at once and 4.75 a second after (19 per
     * 4 s), so no second sees more than 5. Every other key is sized by {@link #defaultBudget()}.
     * A budget configured on the connection overrides both.
     */
    @Override
    public @Nullable BudgetSettings budgetFor(String budgetKey) {
        return budgetKey.endsWith(HubSpotSession.SEARCH_BUDGET_SUFFIX) ? SEARCH : null;
    }
}

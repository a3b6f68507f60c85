package dev.switchboard.connectors.salesforce;

import dev.switchboard.connectors.salesforce.internal.SalesforceActions;
import dev.switchboard.connectors.salesforce.internal.SalesforceBudgetSignals;
import dev.switchboard.connectors.salesforce.internal.SalesforceClassifier;
import dev.switchboard.connectors.salesforce.internal.SalesforceObjects;
import dev.switchboard.connectors.salesforce.internal.SalesforceSession;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.ResponseClassifier;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Salesforce through its REST API (v62.0): streams {@code Account}, {@code Contact}, {@code Case},
 * {@code Opportunity}, {@code User} and {@code Task}, read with SOQL and incremental on
 * {@code SystemModstamp} (ties broken by {@code Id}), re-reading a look-back window
 * ({@value #LOOKBACK_SETTING}, {@link #DEFAULT_LOOKBACK} by default) before the checkpoint, and
 * returning the recycle bin's records as tombstones (read with {@code queryAll}); actions
 * {@code update_case_status} (conditional on the Case's version), {@code create_task} and
 * {@code add_case_comment}.
 *
 * <p>Requests go to the credential's {@value #INSTANCE_URL} attribute (the instance the OAuth token
 * response named). Set the connection setting {@value #ORG_ID_SETTING} to the org id: it is the
 * tenant of every record's ACL and keys the org's shared request budget
 * {@code salesforce:{org_id}:daily}, sized by {@link #budgetFor} and paced near the end of the daily
 * allowance by {@link #budgetSignals()}.
 *
 * <p>Salesforce's error answers keep their own class ({@link #responseClassifier()}): the caller's
 * bad values are INVALID_INPUT ({@code InvalidInputException}), the spent daily allowance
 * QUOTA_EXHAUSTED, other request errors PERMANENT with the vendor's code; a query naming a field the
 * org no longer has becomes {@code SchemaDriftException}. Found by {@link java.util.ServiceLoader};
 * stateless and thread-safe.
 */
public final class SalesforceConnector implements Connector {
    /** The connector id. */
    public static final String ID = "salesforce";
    /** The credential attribute holding the base URL of every request. */
    public static final String INSTANCE_URL = "instance_url";
    /** The connection setting holding the 18-character org id. */
    public static final String ORG_ID_SETTING = "org_id";
    /**
     * The connection setting holding the look-back window, an ISO-8601 duration: how far before its
     * checkpoint a resumed read starts again, for the rows a long transaction commits late (Salesforce
     * stamps {@code SystemModstamp} when a transaction starts). {@code PT0S} turns it off.
     */
    public static final String LOOKBACK_SETTING = "lookback";
    /**
     * The look-back when the connection sets none: ten minutes, the longest a Salesforce transaction runs
     * (an Apex execution context is stopped after ten minutes).
     */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofMinutes(10);
    /**
     * The connection setting that turns on reading explicit shares ({@code true}; {@code false} by default):
     * each page of Account, Contact, Opportunity and Case records whose org default is private costs one
     * more query of the object's share table ({@code AccountShare}...), and each record's ACL then names
     * the users ({@code sf:user:005...}) and groups ({@code sf:group:00G...}) it is shared with.
     */
    public static final String READ_SHARES_SETTING = "read_shares";
    /** By default requests are paced once fewer than this share of the org's daily API requests remain. */
    public static final double DEFAULT_SLOW_DOWN_FRACTION = 0.05;

    private static final ConnectorDescriptor DESCRIPTOR = describe();
    /**
     * The org's bucket: bursts of 25, refilled at 10 a second. Not a {@code BudgetSettings.rollingWindow}:
     * Salesforce counts a daily allowance (a rolling 24 hours) and 25 concurrent long-running requests, no
     * short window to size a bucket against; the bucket only smooths bursts, and the
     * {@code Sforce-Limit-Info} signals pace the day (issue 12 left it as it was).
     */
    private static final BudgetSettings ORG_BURST = new BudgetSettings(25, 10, Duration.ofSeconds(1));

    private final SalesforceBudgetSignals signals;

    /** A connector that paces requests in the last {@link #DEFAULT_SLOW_DOWN_FRACTION} of the daily allowance. */
    public SalesforceConnector() {
        this(DEFAULT_SLOW_DOWN_FRACTION);
    }

    /**
     * @param slowDownFraction the share of the org's daily API requests (0 to 1, exclusive) below which
     *     requests are spread over the rest of the rolling 24 hours, leaving the org's other integrations
     *     room; 0 spends everything
     */
    public SalesforceConnector(double slowDownFraction) {
        this.signals = new SalesforceBudgetSignals(slowDownFraction);
    }

    private static ConnectorDescriptor describe() {
        ConnectorDescriptor.Builder b = ConnectorDescriptor.builder(ID).authKind(AuthKind.BEARER);
        SalesforceObjects.all().forEach(o -> b.stream(o.descriptor()));
        SalesforceActions.descriptors().forEach(b::action);
        return b.build();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        return new SalesforceSession(context, ORG_ID_SETTING, LOOKBACK_SETTING, DEFAULT_LOOKBACK, READ_SHARES_SETTING);
    }

    /**
     * True: a read narrows its query to the records the reading principal may see ({@code OwnerId IN (...)}
     * when the object's records are private and shares are not read), so its pages differ by principal.
     */
    @Override
    public boolean readsDependOnPrincipal() {
        return true;
    }

    /**
     * The org's bucket, {@code salesforce:{org_id}:daily} (from the {@value #ORG_ID_SETTING} setting),
     * which every request of the connection spends: two connections to one org that size it
     * differently fail at build.
     */
    @Override
    public Set<String> budgetKeys(ConnectionConfig config) {
        return Set.of(SalesforceSession.budgetKey(config, ORG_ID_SETTING));
    }

    @Override
    public ResponseClassifier responseClassifier() {
        return new SalesforceClassifier();
    }

    @Override
    public BudgetSignalReader budgetSignals() {
        return signals;
    }

    @Override
    public String baseUrlAttribute() {
        return INSTANCE_URL;
    }

    /**
     * Sizes the org's bucket {@code salesforce:{org_id}:daily}, which every request of every connection
     * to the org spends. Salesforce documents no per-second limit, only the daily allowance and 25
     * concurrent long-running requests; bursts of 25 refilled at 10 a second keep a busy agent from
     * spending the day's allowance in minutes, and the {@code Sforce-Limit-Info} signals
     * ({@link #budgetSignals()}) take over near its end. A budget configured on the connection
     * replaces this size.
     */
    @Override
    public @Nullable BudgetSettings budgetFor(String budgetKey) {
        return SalesforceSession.isDailyBudgetKey(budgetKey) ? ORG_BURST : null;
    }

    @Override
    public String toString() {
        return "SalesforceConnector[" + ID + "]";
    }
}

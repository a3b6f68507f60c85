package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.connector.WebhookCall;
import dev.switchboard.core.connector.WebhookOutcome;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Schema;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** One HubSpot connection: its portal, its budget keys, its readers and actions. Stateless; thread-safe. */
public final class HubSpotSession implements ConnectorSession {
    /** How the search budget's key ends: {@code hubspot:{portalId}:search}. */
    public static final String SEARCH_BUDGET_SUFFIX = ":search";

    private final HubSpotRecords records;
    private final Clock clock;
    private final String budgetKey;
    private final String searchBudgetKey;
    private final Duration lookback;
    private final String connection;
    private final HubSpotActions actions;
    private final SearchReader.AskedProperties askedProperties = new SearchReader.AskedProperties();

    /**
     * @param connection the connection id
     * @param portalId the HubSpot portal (hub id): the tenant of every record and the key of its budgets
     * @param lookback how far before a checkpoint a resumed search read starts again, for changes search
     *     indexed late
     * @param clock the injected clock
     */
    public HubSpotSession(String connection, String portalId, Duration lookback, Clock clock) {
        this(connection, portalId, lookback, clock, HubSpotRecords.RecordVisibility.PORTAL);
    }

    /** @param visibility who may read CRM records: the connection's setting, portal-wide by default */
    public HubSpotSession(
            String connection,
            String portalId,
            Duration lookback,
            Clock clock,
            HubSpotRecords.RecordVisibility visibility) {
        this.connection = connection;
        this.records = new HubSpotRecords(connection, portalId, visibility);
        this.clock = clock;
        // HubSpot's limits are the portal's, whatever the connection: connections to one portal share them.
        this.budgetKey = tenSecondBudgetKey(portalId);
        this.searchBudgetKey = searchBudgetKey(portalId);
        this.lookback = lookback;
        this.actions = new HubSpotActions(records, budgetKey, clock, connection);
    }

    /** The budget key of a portal's rolling 10-second window: {@code hubspot:{portalId}:10s}. */
    public static String tenSecondBudgetKey(String portalId) {
        return "hubspot:" + portalId + ":10s";
    }

    /** The budget key of a portal's search limit: {@code hubspot:{portalId}:search}. */
    public static String searchBudgetKey(String portalId) {
        return "hubspot:" + portalId + SEARCH_BUDGET_SUFFIX;
    }

    /** Every stream and action of the connector. */
    public static ConnectorDescriptor descriptor() {
        ConnectorDescriptor.Builder b = ConnectorDescriptor.builder("hubspot");
        HubSpotObjects.CRM_OBJECTS.forEach(o -> b.stream(HubSpotObjects.stream(o)));
        b.stream(HubSpotObjects.owners()).stream(HubSpotObjects.associations()).stream(HubSpotObjects.properties());
        b.stream(HubSpotObjects.pipelines()).stream(HubSpotObjects.notes());
        for (ActionDescriptor a : new ActionDescriptor[] {
            HubSpotActions.UPDATE_TICKET, HubSpotActions.CREATE_NOTE, HubSpotActions.CREATE_TASK
        }) {
            b.action(a);
        }
        return b.build();
    }

    @Override
    public StreamReader openStream(StreamCall call) {
        String name = call.stream().name();
        return switch (name) {
            case "owners" -> ListReaders.owners(call, records, budgetKey);
            case "associations" -> ListReaders.associations(call, records, budgetKey);
            case "properties" -> ListReaders.properties(call, records, budgetKey);
            case "pipelines" -> ListReaders.pipelines(call, records, budgetKey);
            case "notes" -> ListReaders.notes(call, records, budgetKey);
            default ->
                new SearchReader(
                        name, call, records, searchBudgetKey, budgetKey, lookback, clock.instant(), askedProperties);
        };
    }

    /** A HubSpot webhook delivery (v3 signature), as {@link HubSpotWebhooks} describes. */
    @Override
    public WebhookOutcome webhook(WebhookCall call) {
        return HubSpotWebhooks.verify(call, connection, records, budgetKey);
    }

    /**
     * A CRM object's property definitions ({@code GET /crm/v3/properties/{object}}) as a schema, for
     * core to compare with the contract; owners, associations, properties and pipelines have no such metadata.
     */
    @Override
    public Optional<Schema> describe(StreamDescriptor stream, VendorHttp http) {
        if (!HubSpotObjects.CRM_OBJECTS.contains(stream.name())) {
            return Optional.empty();
        }
        JsonObject answer = HubSpotErrors.send(
                http,
                VendorRequest.get("/crm/v3/properties/" + stream.name())
                        .operation("describe " + stream.name())
                        .budgetKey(budgetKey)
                        .build());
        return Optional.of(HubSpotObjects.describedSchema(stream.name(), answer));
    }

    @Override
    public ActionOutput execute(ActionCall call) {
        return actions.execute(call);
    }

    @Override
    public Optional<String> summarize(ActionDescriptor action, JsonObject input) {
        return actions.summarize(action, input);
    }

    /** Reads (GET only) what the action would change; sends no write. */
    @Override
    public ActionPreview dryRun(ActionCall call) {
        return actions.dryRun(call);
    }
}

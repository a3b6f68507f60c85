package dev.switchboard.connectors.hubspot;

import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.testkit.ConnectorContract;
import dev.switchboard.testkit.ErrorShape;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.VendorFake;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connector contract, run against FakeHubSpot (on the contract's virtual clock). */
class HubSpotConnectorContractTest extends ConnectorContract {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    static final String TICKET = "1075966440";
    static final String CONTACT = "1";

    @BeforeEach
    void fakeFollowsTheVirtualClock() {
        FAKE.clock(clock);
    }

    @Override
    protected Connector connector() {
        return new HubSpotConnector();
    }

    @Override
    protected VendorFake fake() {
        return FAKE;
    }

    @Override
    protected String pagedStream() {
        return "contacts";
    }

    @Override
    protected void seed(int records) {
        FAKE.seed("contacts", records);
    }

    @Override
    protected Map<String, String> connectionSettings() {
        // The default look-back: the contract accepts records re-read from it, if the first read delivered them.
        return Map.of(HubSpotConnector.PORTAL_ID, "62515");
    }

    @Override
    protected Map<String, JsonObject> actionInputs() {
        return Map.of(
                "update_ticket",
                        json("{\"ticketId\":\"" + TICKET
                                + "\",\"properties\":{\"hs_pipeline_stage\":\"4\",\"hs_ticket_priority\":\"LOW\"}}"),
                "create_note",
                        json(
                                "{\"body\":\"Called back, issue solved\",\"associations\":[{\"objectType\":\"contacts\",\"id\":\""
                                        + CONTACT + "\"}," + "{\"objectType\":\"tickets\",\"id\":\"" + TICKET
                                        + "\"}]}"),
                "create_task",
                        json("{\"subject\":\"Follow up\",\"priority\":\"HIGH\",\"dueAt\":\"2026-06-02T09:00:00Z\","
                                + "\"associations\":[{\"objectType\":\"contacts\",\"id\":\"" + CONTACT + "\"}]}"));
    }

    /** Each shape runs on a fresh connection (breaker, budgets and pauses), so their order is free. */
    @Override
    protected List<ErrorShape> errorShapes() {
        JsonObject note = actionInputs().get("create_note");
        JsonObject task = actionInputs().get("create_task");
        JsonObject ticket = actionInputs().get("update_ticket");
        return List.of(
                ErrorShape.onRead(
                        "401 INVALID_AUTHENTICATION",
                        "contacts",
                        FAKE::revokeAccessTokens,
                        ReauthorizationRequiredException.class),
                ErrorShape.onRead(
                        "401 INVALID_AUTHENTICATION on owners",
                        "owners",
                        FAKE::revokeAccessTokens,
                        ReauthorizationRequiredException.class),
                ErrorShape.onRead(
                        "403 MISSING_SCOPES",
                        "tickets",
                        () -> FAKE.withholdScope("tickets"),
                        ReauthorizationRequiredException.class),
                ErrorShape.onAction(
                        "403 MISSING_SCOPES on a write",
                        "create_note",
                        note,
                        () -> FAKE.withholdScope("crm.objects.contacts.write"),
                        ReauthorizationRequiredException.class),
                ErrorShape.onRead(
                        "429 TEN_SECONDLY_ROLLING, persistent",
                        "owners",
                        () -> FAKE.faults().throttles(100),
                        RateLimitedException.class),
                ErrorShape.onRead(
                        "429 SECONDLY (search), persistent",
                        "contacts",
                        () -> FAKE.searchRateLimit(0, java.time.Duration.ofSeconds(1)),
                        RateLimitedException.class),
                ErrorShape.onRead("429 DAILY", "contacts", () -> FAKE.dailyLimit(0), QuotaExhaustedException.class),
                ErrorShape.onRead(
                        "429 DAILY on owners", "owners", () -> FAKE.dailyLimit(0), QuotaExhaustedException.class),
                ErrorShape.onAction(
                        "429 DAILY on a write",
                        "update_ticket",
                        ticket,
                        () -> FAKE.dailyLimit(0),
                        QuotaExhaustedException.class),
                ErrorShape.onAction(
                        "400 VALIDATION_ERROR (INVALID_OPTION)",
                        "update_ticket",
                        json("{\"ticketId\":\"" + TICKET + "\",\"properties\":{\"hs_ticket_priority\":\"EXTREME\"}}"),
                        () -> {},
                        InvalidInputException.class),
                ErrorShape.onAction(
                        "400 VALIDATION_ERROR (PROPERTY_DOESNT_EXIST)",
                        "update_ticket",
                        json("{\"ticketId\":\"" + TICKET + "\",\"properties\":{\"unknown_color\":\"red\"}}"),
                        () -> {},
                        InvalidInputException.class),
                ErrorShape.onAction(
                        "404 OBJECT_NOT_FOUND",
                        "update_ticket",
                        json("{\"ticketId\":\"999\",\"properties\":{\"subject\":\"x\"}}"),
                        () -> {},
                        InvalidInputException.class),
                ErrorShape.onAction(
                        "400 VALIDATION_ERROR (association to nothing)",
                        "create_note",
                        json("{\"body\":\"x\",\"associations\":[{\"objectType\":\"deals\",\"id\":\"42\"}]}"),
                        () -> {},
                        InvalidInputException.class),
                ErrorShape.onRead(
                        "418 with a category the connector does not know",
                        "owners",
                        () -> FAKE.faults().serverErrors(100, 418),
                        PermanentException.class),
                ErrorShape.onRead(
                        "500 INTERNAL_ERROR, persistent",
                        "contacts",
                        () -> FAKE.faults().serverErrors(100, 500),
                        TransientException.class),
                ErrorShape.onAction(
                        "503 on a ticket update, persistent (retry-safe)",
                        "update_ticket",
                        ticket,
                        () -> FAKE.faults().serverErrors(100, 503),
                        TransientException.class),
                ErrorShape.onRead(
                        "truncated JSON, persistent",
                        "contacts",
                        () -> FAKE.faults().truncates(100),
                        TransientException.class),
                ErrorShape.onAction(
                        "502 on a create (not retry-safe)",
                        "create_note",
                        note,
                        () -> FAKE.faults().serverErrors(1, 502),
                        OutcomeUnknownException.class),
                ErrorShape.onAction(
                        "connection reset on a create",
                        "create_task",
                        task,
                        () -> FAKE.faults().resets(1),
                        OutcomeUnknownException.class),
                // On the ticket: the contract seeds contacts anew, so contact 1 is gone and a note on it is a 400.
                ErrorShape.onAction(
                        "truncated JSON answering a create",
                        "create_note",
                        json("{\"body\":\"Called back\",\"associations\":[{\"objectType\":\"tickets\",\"id\":\""
                                + TICKET + "\"}]}"),
                        () -> FAKE.faults().truncates(1),
                        OutcomeUnknownException.class));
    }

    private static JsonObject json(String text) {
        return (JsonObject) Json.parse(text);
    }
}

package dev.switchboard.connectors.salesforce;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.testkit.ConnectorContract;
import dev.switchboard.testkit.ErrorShape;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.VendorFake;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connector contract, run against {@link FakeSalesforce}. */
class SalesforceConnectorContractTest extends ConnectorContract {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private static final String MISSING_CASE = "500RO9999999999AAA";

    @Override
    protected Connector connector() {
        return new SalesforceConnector();
    }

    @Override
    protected VendorFake fake() {
        return FAKE;
    }

    @Override
    protected String pagedStream() {
        return "Case";
    }

    @Override
    protected void seed(int records) {
        FAKE.seed("Case", records);
    }

    @Override
    protected Map<String, String> connectionSettings() {
        return Map.of(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID);
    }

    /** Salesforce's token response names the instance every request must go to. */
    @Override
    protected Credential credential() {
        return Credential.builder(VendorFake.ACCESS_TOKEN)
                .attributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                .build();
    }

    private static String firstCase() {
        return FAKE.records("Case").get(0).string("Id");
    }

    @Override
    protected Map<String, JsonObject> actionInputs() {
        String caseId = firstCase();
        return Map.of(
                "update_case_status",
                        JsonObject.builder()
                                .put("case_id", caseId)
                                .put("status", "Escalated")
                                .build(),
                "create_task",
                        JsonObject.builder()
                                .put("subject", "Call the customer back")
                                .put("what_id", caseId)
                                .put("priority", "High")
                                .put("activity_date", "2026-06-02")
                                .build(),
                "add_case_comment",
                        JsonObject.builder()
                                .put("case_id", caseId)
                                .put("body", "Replacement part shipped.")
                                .put("is_published", false)
                                .build());
    }

    private static ErrorShape onRead(String name, Runnable provoke, Class<? extends SwitchboardException> expected) {
        return ErrorShape.onRead(name, "Case", provoke, expected);
    }

    /** The input is built when the shape runs, from the records seeded for it. */
    private static ErrorShape onAction(
            String name,
            String action,
            Supplier<JsonObject> input,
            Runnable provoke,
            Class<? extends SwitchboardException> expected) {
        return new ErrorShape(
                name, provoke, (connection, context) -> connection.execute(context, action, input.get()), expected);
    }

    /** Each shape runs on a fresh connection (breaker, budgets and pauses new), so their order does not matter. */
    @Override
    protected List<ErrorShape> errorShapes() {
        return List.of(
                onRead("401 INVALID_SESSION_ID", FAKE::revokeAccessTokens, ReauthorizationRequiredException.class),
                onAction(
                        "401 INVALID_SESSION_ID on a write",
                        "update_case_status",
                        () -> JsonObject.builder()
                                .put("case_id", firstCase())
                                .put("status", "Closed")
                                .build(),
                        FAKE::revokeAccessTokens,
                        ReauthorizationRequiredException.class),
                onRead(
                        "403 REQUEST_LIMIT_EXCEEDED (TotalRequests, daily allowance spent)",
                        () -> FAKE.apiUsage(100_000, 100_000),
                        QuotaExhaustedException.class),
                onRead(
                        "403 REQUEST_LIMIT_EXCEEDED (ConcurrentPerOrgLongTxn, never clears)",
                        () -> FAKE.faults().throttles(100),
                        RateLimitedException.class),
                onRead(
                        "400 INVALID_FIELD (a field removed upstream)",
                        () -> FAKE.removeField("Case", "Priority"),
                        SchemaDriftException.class),
                onRead(
                        "400 MALFORMED_QUERY",
                        () -> FAKE.failNext(10, 400, "MALFORMED_QUERY", "unexpected token: 'FORM'"),
                        PermanentException.class),
                onRead(
                        "403 INSUFFICIENT_ACCESS_OR_READONLY",
                        () -> FAKE.failNext(
                                10, 403, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id"),
                        PermanentException.class),
                onAction(
                        "404 NOT_FOUND (no such Case)",
                        "update_case_status",
                        () -> JsonObject.builder()
                                .put("case_id", MISSING_CASE)
                                .put("status", "Closed")
                                .build(),
                        () -> {},
                        InvalidInputException.class),
                onAction(
                        "400 MALFORMED_ID (an Account id for a Case)",
                        "update_case_status",
                        () -> JsonObject.builder()
                                .put("case_id", FAKE.records("Account").get(0).string("Id"))
                                .put("status", "Closed")
                                .build(),
                        () -> {},
                        InvalidInputException.class),
                onAction(
                        "400 INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                        "update_case_status",
                        () -> JsonObject.builder()
                                .put("case_id", firstCase())
                                .put("status", "Bogus")
                                .build(),
                        () -> {},
                        InvalidInputException.class),
                onAction(
                        "400 INVALID_CROSS_REFERENCE_KEY",
                        "create_task",
                        () -> JsonObject.builder()
                                .put("subject", "Call")
                                .put("what_id", MISSING_CASE)
                                .build(),
                        () -> {},
                        InvalidInputException.class),
                onAction(
                        "400 FIELD_INTEGRITY_EXCEPTION (comment on no Case)",
                        "add_case_comment",
                        () -> JsonObject.builder()
                                .put("case_id", MISSING_CASE)
                                .put("body", "hello")
                                .build(),
                        () -> {},
                        InvalidInputException.class),
                onRead(
                        "500 UNKNOWN_EXCEPTION, repeatedly",
                        () -> FAKE.faults().serverErrors(100, 500),
                        TransientException.class),
                onRead("truncated body, repeatedly", () -> FAKE.faults().truncates(100), TransientException.class),
                onAction(
                        "503 SERVER_UNAVAILABLE on a create",
                        "create_task",
                        () -> JsonObject.builder().put("subject", "Call").build(),
                        () -> FAKE.faults().serverErrors(1, 503),
                        OutcomeUnknownException.class),
                onAction(
                        "truncated answer to a create",
                        "create_task",
                        () -> JsonObject.builder().put("subject", "Call").build(),
                        () -> FAKE.faults().truncates(1),
                        OutcomeUnknownException.class),
                onAction(
                        "connection reset on a comment",
                        "add_case_comment",
                        () -> JsonObject.builder()
                                .put("case_id", firstCase())
                                .put("body", "hello")
                                .build(),
                        () -> FAKE.faults().resets(1),
                        OutcomeUnknownException.class));
    }
}

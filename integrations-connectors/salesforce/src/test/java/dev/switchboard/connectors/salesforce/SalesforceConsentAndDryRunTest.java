package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.Principal;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.VendorFake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consent for Salesforce's writes: each action's one-sentence summary, its dry run (GETs only, nothing
 * written), and the consent prompt a person gets, which leads with the summary.
 */
class SalesforceConsentAndDryRunTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    static final AgentContext CONTEXT = AgentContext.of(Principal.user("agent-user", "tenant-1"));

    private final List<FakeConnection> opened = new ArrayList<>();
    private Connection connection;
    private JsonObject aCase;
    private String caseId;
    private String contactId;

    @BeforeEach
    void open() {
        connection = connect(ConsentGate.approveAll()).connection();
        aCase = FAKE.records("Case").get(0);
        caseId = aCase.string("Id");
        contactId = FAKE.records("Contact").get(0).string("Id");
    }

    @AfterEach
    void close() {
        opened.forEach(FakeConnection::close);
    }

    private FakeConnection connect(ConsentGate gate) {
        FakeConnection c = FakeConnection.to(FAKE, SalesforceConnector.ID)
                .connectionId("salesforce-acme")
                .connector(new SalesforceConnector())
                .baseUrl("http://127.0.0.1:9")
                .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                .context(CONTEXT)
                .consentGate(gate)
                .build();
        opened.add(c);
        return c;
    }

    private ActionPreview preview(String action, JsonObject input) {
        return connection.preview(CONTEXT, action, input);
    }

    private static int writesReceived() {
        return FAKE.requestCount(r -> !r.method().equals("GET"));
    }

    private JsonObject statusUpdate(String status) {
        return JsonObject.builder().put("case_id", caseId).put("status", status).build();
    }

    private JsonObject task() {
        return JsonObject.builder()
                .put("subject", "Call the customer back")
                .put("priority", "High")
                .put("activity_date", "2026-06-03")
                .put("description", "They asked about the refund")
                .put("what_id", caseId)
                .put("who_id", contactId)
                .build();
    }

    private JsonObject comment(boolean published) {
        return JsonObject.builder()
                .put("case_id", caseId)
                .put("body", "We refunded the order.")
                .put("is_published", published)
                .build();
    }

    /** An input for every write the connector declares; a new action without one fails the enumeration test. */
    private Map<String, JsonObject> sampleInputs() {
        return Map.of(
                "update_case_status",
                statusUpdate("Closed"),
                "create_task",
                task(),
                "add_case_comment",
                comment(false));
    }

    // ---- update_case_status --------------------------------------------------------------------------

    @Test
    void aStatusUpdatesSummaryNamesTheCaseTheStatusAndTheConnection() {
        assertThat(preview("update_case_status", statusUpdate("Closed")).summary())
                .isEqualTo("Set the Status of Salesforce Case " + caseId + " to Closed in connection salesforce-acme");
    }

    @Test
    void aStatusUpdatesDryRunShowsTheStatusBeforeAndAfterAndWritesNothing() {
        ActionPreview preview = preview("update_case_status", statusUpdate("Closed"));

        assertThat(preview.wouldChange().object("before").string("Status")).isEqualTo(aCase.string("Status"));
        assertThat(preview.wouldChange().object("after").string("Status")).isEqualTo("Closed");
        assertThat(preview.wouldChange().bool("changed")).isEqualTo(!"Closed".equals(aCase.string("Status")));
        assertThat(preview.wouldChange().bool("wouldApply")).isTrue();
        assertThat(preview.affected()).containsExactly(RecordRef.changed("Case", caseId));
        assertThat(writesReceived()).isZero();
        assertThat(FAKE.records("Case").get(0).string("Status")).isEqualTo(aCase.string("Status"));
    }

    @Test
    void aStatusUpdateGivenAnOlderVersionWouldNotApply() {
        JsonObject stale = statusUpdate("Escalated-Tier-2")
                .newBuilder()
                .put("version", "2000-01-01T00:00:00.000+0000")
                .build();

        ActionPreview preview = preview("update_case_status", stale);

        assertThat(preview.wouldChange().bool("wouldApply")).isFalse();
        assertThat(preview.summary())
                .endsWith(", unless it changed after 2000-01-01T00:00:00.000+0000 in connection salesforce-acme");
        assertThat(writesReceived()).isZero();
    }

    // ---- create_task ------------------------------------------------------------------------------------

    @Test
    void aTasksSummaryQuotesItsSubjectGivesTheDescriptionsLengthAndNamesWhatItRelatesTo() {
        assertThat(preview("create_task", task()).summary())
                .isEqualTo("Create Salesforce Task \"Call the customer back\" (priority High, due 2026-06-03, a"
                        + " description of 27 characters) related to Case " + caseId + ", for Contact " + contactId
                        + " and assigned to the connected user in connection salesforce-acme")
                .doesNotContain("refund");
    }

    @Test
    void aTasksDryRunLooksUpItsRelatedRecordsAndCreatesNothing() {
        int tasksBefore = FAKE.records("Task").size();

        ActionPreview preview = preview("create_task", task());

        assertThat(preview.wouldChange().string("create")).isEqualTo("Task");
        assertThat(preview.wouldChange().object("fields").string("WhatId")).isEqualTo(caseId);
        assertThat(preview.wouldChange().array("related")).hasSize(2);
        assertThat(preview.affected()).isEmpty();
        assertThat(FAKE.requestCount(r -> r.method().equals("GET") && r.path().contains("/sobjects/")))
                .isEqualTo(2);
        assertThat(writesReceived()).isZero();
        assertThat(FAKE.records("Task")).hasSize(tasksBefore);
    }

    @Test
    void aTasksDryRunFailsForARelatedRecordThatIsNotThere() {
        JsonObject task =
                task().newBuilder().put("what_id", "500000000000000AAA").build();

        assertThatThrownBy(() -> preview("create_task", task)).isInstanceOf(SwitchboardException.class);
        assertThat(writesReceived()).isZero();
    }

    // ---- add_case_comment -------------------------------------------------------------------------------

    @Test
    void aCommentsSummaryGivesItsLengthAndWhoSeesIt() {
        assertThat(preview("add_case_comment", comment(false)).summary())
                .isEqualTo("Add an internal comment of 22 characters to Salesforce Case " + caseId
                        + " in connection salesforce-acme");
        assertThat(preview("add_case_comment", comment(true)).summary())
                .startsWith("Add a published comment (the customer sees it) of 22 characters");
    }

    @Test
    void aCommentsDryRunReadsItsCaseAndAddsNothing() {
        ActionPreview preview = preview("add_case_comment", comment(true));

        assertThat(preview.wouldChange().object("fields").string("CommentBody")).isEqualTo("We refunded the order.");
        assertThat(preview.wouldChange().object("case").string("Status")).isEqualTo(aCase.string("Status"));
        assertThat(preview.affected()).containsExactly(RecordRef.changed("Case", caseId));
        assertThat(writesReceived()).isZero();
        assertThat(FAKE.records("CaseComment")).isEmpty();
    }

    // ---- consent ----------------------------------------------------------------------------------------

    @Test
    void theConsentPromptLeadsWithTheSummaryAndHoldsNoSecret() {
        FakeConnection asking = connect(ConsentGate.askUser());

        ConsentRequiredException asked = catchThrowableOfType(
                ConsentRequiredException.class,
                () -> asking.connection().execute(CONTEXT, "add_case_comment", comment(true)));

        assertThat(asked.prompt())
                .isEqualTo("Add a published comment (the customer sees it) of 22 characters to Salesforce Case "
                        + caseId + " in connection salesforce-acme. Allow add_case_comment (write) on"
                        + " salesforce-acme?")
                .doesNotContain(VendorFake.ACCESS_TOKEN, "refunded");
        assertThat(asking.switchboard()
                        .consent()
                        .find(asked.requestId())
                        .orElseThrow()
                        .prompt())
                .isEqualTo(asked.prompt());
        assertThat(FAKE.requests()).as("nothing sent before consent").isEmpty();
    }

    // ---- every write --------------------------------------------------------------------------------------

    @Test
    void everyWriteTheConnectorDeclaresHasASummaryAndADryRun() {
        Map<String, JsonObject> samples = sampleInputs();
        for (ActionDescriptor action : new SalesforceConnector().descriptor().actions()) {
            if (!action.effect().needsConsent()) {
                continue;
            }
            assertThat(samples)
                    .as("a sample input for %s: give it one, a summary and a dry run", action.name())
                    .containsKey(action.name());
            ActionPreview preview = preview(action.name(), samples.get(action.name()));
            assertThat(preview.summary()).as(action.name()).contains("Salesforce", "salesforce-acme");
            assertThat(preview.wouldChange().size()).as(action.name()).isPositive();
        }
        assertThat(writesReceived()).isZero();
    }
}

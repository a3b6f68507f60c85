package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.VendorFake;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Consent for HubSpot's writes: each action's one-sentence summary, its dry run (reads only, nothing
 * written), and the consent prompt a person gets, which leads with the summary.
 */
class HubSpotConsentAndDryRunTest extends VirtualHubSpotTest {
    static final String TICKET = "1075966440";
    static final String UPDATE = "{\"ticketId\":\"" + TICKET + "\",\"properties\":"
            + "{\"hs_pipeline_stage\":\"4\",\"hs_ticket_priority\":\"HIGH\",\"content\":\"The customer called back\"}}";
    static final String NOTE = "{\"body\":\"Called back about the refund\",\"ownerId\":\"41629779\","
            + "\"associations\":[{\"objectType\":\"contacts\",\"id\":\"1\"},{\"objectType\":\"tickets\",\"id\":\""
            + TICKET + "\"}]}";
    static final String TASK = "{\"subject\":\"Send the quote\",\"priority\":\"HIGH\",\"body\":\"Quote for 12 seats\","
            + "\"associations\":[{\"objectType\":\"companies\",\"id\":\"7086461639\"}]}";

    /** An input for every write the connector declares; a new action without one fails the enumeration test. */
    static final Map<String, String> SAMPLE_INPUTS =
            Map.of("update_ticket", UPDATE, "create_note", NOTE, "create_task", TASK);

    private ActionPreview preview(String action, String input) {
        return hub.connection.preview(HubSpotHarness.CONTEXT, action, (JsonObject) Json.parse(input));
    }

    private static int writesReceived() {
        return FAKE.requestCount(r -> !r.method().equals("GET"));
    }

    // ---- update_ticket ----------------------------------------------------------------------------

    @Test
    void aTicketUpdatesSummaryNamesThePropertiesTheTicketAndTheConnection() {
        assertThat(preview("update_ticket", UPDATE).summary())
                .isEqualTo("Set hs_pipeline_stage to 4, hs_ticket_priority to HIGH and content to a text of 24"
                        + " characters on HubSpot ticket " + TICKET + " in connection hubspot-acme");
    }

    @Test
    void aTicketUpdatesDryRunShowsEachPropertyBeforeAndAfterAndWritesNothing() {
        ActionPreview preview = preview("update_ticket", UPDATE);

        assertThat(preview.wouldChange().object("before"))
                .isEqualTo(Json.parse("{\"hs_pipeline_stage\":\"1\",\"hs_ticket_priority\":\"HIGH\",\"content\":"
                        + FAKE.object("tickets", TICKET)
                                .orElseThrow()
                                .object("properties")
                                .get("content")
                                .toJson()
                        + "}"));
        assertThat(preview.wouldChange().object("after").string("hs_pipeline_stage"))
                .isEqualTo("4");
        assertThat(preview.wouldChange().array("changed").stream()
                        .map(v -> ((dev.switchboard.core.json.JsonString) v).value()))
                .contains("hs_pipeline_stage")
                .doesNotContain("hs_ticket_priority");
        assertThat(preview.affected()).containsExactly(RecordRef.changed("tickets", TICKET));
        assertThat(FAKE.requestCount(r -> r.method().equals("GET") && r.path().endsWith("/tickets/" + TICKET)))
                .isEqualTo(1);
        assertThat(writesReceived()).isZero();
        assertThat(FAKE.object("tickets", TICKET)
                        .orElseThrow()
                        .object("properties")
                        .string("hs_pipeline_stage"))
                .isEqualTo("1");
    }

    @Test
    void aDryRunOfAnUpdateToATicketThatIsNotThereFailsAsTheUpdateWould() {
        assertThatThrownBy(() -> preview("update_ticket", "{\"ticketId\":\"42\",\"properties\":{\"subject\":\"x\"}}"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(writesReceived()).isZero();
    }

    // ---- create_note and create_task ------------------------------------------------------------------

    @Test
    void aNotesSummaryGivesTheBodysLengthNotItsText() {
        assertThat(preview("create_note", NOTE).summary())
                .isEqualTo("Create a HubSpot note of 28 characters on contact 1 and ticket " + TICKET
                        + ", owned by HubSpot owner 41629779 in connection hubspot-acme")
                .doesNotContain("refund");
    }

    @Test
    void aNotesDryRunLooksUpEachAssociatedRecordAndCreatesNothing() {
        ActionPreview preview = preview("create_note", NOTE);

        assertThat(preview.wouldChange().string("create")).isEqualTo("notes");
        assertThat(preview.wouldChange().object("properties").string("hs_note_body"))
                .isEqualTo("Called back about the refund");
        assertThat(preview.wouldChange().object("properties").string("hs_timestamp"))
                .isEqualTo("2026-06-01T09:00:00Z");
        assertThat(preview.affected())
                .containsExactly(RecordRef.changed("contacts", "1"), RecordRef.changed("tickets", TICKET));
        assertThat(FAKE.requestCount(r -> r.method().equals("GET"))).isEqualTo(2);
        assertThat(writesReceived()).isZero();
        assertThat(FAKE.associations("tickets", TICKET, "notes")).isEmpty();
    }

    @Test
    void aTasksSummaryQuotesItsSubjectAndGivesItsDetails() {
        assertThat(preview("create_task", TASK).summary())
                .isEqualTo("Create HubSpot task \"Send the quote\" (status NOT_STARTED, priority HIGH, due now, a body"
                        + " of 18 characters) on company 7086461639 in connection hubspot-acme");
    }

    @Test
    void aTasksDryRunRefusesAnAssociatedRecordThatIsNotThereAndCreatesNothing() {
        ActionPreview preview = preview("create_task", TASK);
        assertThat(preview.wouldChange().object("properties").string("hs_task_status"))
                .isEqualTo("NOT_STARTED");
        assertThat(preview.affected()).containsExactly(RecordRef.changed("companies", "7086461639"));

        assertThatThrownBy(() -> preview(
                        "create_task",
                        "{\"subject\":\"x\",\"associations\":[{\"objectType\":\"deals\",\"id\":\"404404\"}]}"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(writesReceived()).isZero();
    }

    // ---- consent ----------------------------------------------------------------------------------

    @Test
    void theConsentPromptLeadsWithTheSummaryAndHoldsNoSecret() {
        try (FakeConnection asking = FakeConnection.to(FAKE, "hubspot")
                .connectionId("hubspot-acme")
                .setting(HubSpotConnector.PORTAL_ID, HubSpotHarness.PORTAL)
                .context(HubSpotHarness.CONTEXT)
                .consentGate(ConsentGate.askUser())
                .build()) {
            ConsentRequiredException asked = catchThrowableOfType(
                    ConsentRequiredException.class,
                    () -> asking.connection()
                            .execute(HubSpotHarness.CONTEXT, "update_ticket", (JsonObject) Json.parse(UPDATE)));

            assertThat(asked.prompt())
                    .startsWith("Set hs_pipeline_stage to 4, hs_ticket_priority to HIGH and content to a text of 24"
                            + " characters on HubSpot ticket " + TICKET + " in connection hubspot-acme.")
                    .endsWith("Allow update_ticket (write) on hubspot-acme?")
                    .doesNotContain(VendorFake.ACCESS_TOKEN, "The customer called back");
            assertThat(asking.switchboard()
                            .consent()
                            .find(asked.requestId())
                            .orElseThrow()
                            .prompt())
                    .isEqualTo(asked.prompt());
            assertThat(FAKE.requests()).as("nothing sent before consent").isEmpty();
        }
    }

    // ---- every write ---------------------------------------------------------------------------------

    @Test
    void everyWriteTheConnectorDeclaresHasASummaryAndADryRun() {
        for (ActionDescriptor action : new HubSpotConnector().descriptor().actions()) {
            if (!action.effect().needsConsent()) {
                continue;
            }
            assertThat(SAMPLE_INPUTS)
                    .as("a sample input for %s: give it one, a summary and a dry run", action.name())
                    .containsKey(action.name());
            ActionPreview preview = preview(action.name(), SAMPLE_INPUTS.get(action.name()));
            assertThat(preview.summary()).as(action.name()).contains("HubSpot", "hubspot-acme");
            assertThat(preview.affected()).as(action.name()).isNotEmpty();
        }
        assertThat(writesReceived()).isZero();
    }
}

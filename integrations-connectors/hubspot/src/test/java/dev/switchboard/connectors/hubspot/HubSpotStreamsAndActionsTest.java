package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The full-read streams, the actions, and what the descriptor promises. */
class HubSpotStreamsAndActionsTest extends VirtualHubSpotTest {
    private JsonObject run(String action, String input) {
        return execute(action, input).output();
    }

    @Test
    void theDescriptorDeclaresTheIssuesStreamsAndActions() {
        var d = new HubSpotConnector().descriptor();
        assertThat(d.streams())
                .extracting(s -> s.name())
                .containsExactly(
                        "associations",
                        "companies",
                        "contacts",
                        "deals",
                        "notes",
                        "owners",
                        "pipelines",
                        "properties",
                        "tickets");
        assertThat(d.streams())
                .filteredOn(s -> s.incremental())
                .extracting(s -> s.name())
                .containsExactly("companies", "contacts", "deals", "tickets");
        assertThat(d.actions())
                .extracting(ActionDescriptor::name, ActionDescriptor::effect, ActionDescriptor::retrySafe)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("create_note", Effect.WRITE, false),
                        org.assertj.core.groups.Tuple.tuple("create_task", Effect.WRITE, false),
                        org.assertj.core.groups.Tuple.tuple("update_ticket", Effect.WRITE, true));
        assertThat(d.actions()).allSatisfy(a -> {
            assertThat(a.inputSchema().bool("additionalProperties")).isFalse();
            assertThat(a.inputSchema().array("required")).isNotEmpty();
        });
    }

    @Test
    void ownersAreReadWithTheirTenant() {
        List<Record> owners = hub.readAll(ReadRequest.of("owners"));

        assertThat(owners).extracting(Record::id).containsExactly("41629779", "41629780");
        assertThat(owners.get(0).data().string("email")).isEqualTo("maria.owner@example.com");
        assertThat(owners).allSatisfy(o -> assertThat(o.acl().tenant()).isEqualTo(HubSpotHarness.PORTAL));
    }

    @Test
    void recordsCarryTheirOwnerInTheirAcl() {
        List<Record> tickets = hub.readAll(ReadRequest.of("tickets"));

        assertThat(tickets).hasSize(2).allSatisfy(t -> {
            assertThat(t.acl().owner()).isEqualTo("41629779");
            assertThat(t.acl().tenant()).isEqualTo(HubSpotHarness.PORTAL);
            assertThat(t.version()).isEqualTo(t.data().string("updatedAt"));
        });
    }

    @Test
    void associationsAreEdgesReadFromOneSide() {
        List<Record> edges = hub.readAll(ReadRequest.of("associations").pageSize(1));

        assertThat(edges)
                .extracting(Record::id)
                .containsExactlyInAnyOrder(
                        "contacts/1/companies/7086461639",
                        "contacts/1/deals/8078784221",
                        "contacts/1/tickets/1075966440");
        assertThat(hub.readAll(ReadRequest.of("associations").where("fromObjectType", "deals")))
                .isEmpty();
    }

    @Test
    void propertyDefinitionsDescribeEachObject() {
        List<Record> contactProps = hub.readAll(ReadRequest.of("properties").where("objectType", "contacts"));
        List<Record> all = hub.readAll(ReadRequest.of("properties"));

        assertThat(contactProps).hasSize(283);
        assertThat(contactProps)
                .filteredOn(r -> r.id().equals("contacts.first_conversion_date"))
                .singleElement()
                .satisfies(r -> assertThat(r.data().string("switchboardType")).isEqualTo("TIMESTAMP"));
        assertThat(all)
                .extracting(r -> r.data().string("objectType"))
                .containsOnly("contacts", "companies", "deals", "tickets");
        assertThat(FAKE.requestCount("/crm/v3/properties/")).isEqualTo(5);
    }

    @Test
    void fieldsAskForOnlyThoseProperties() {
        List<Record> contacts = hub.readAll(ReadRequest.of("contacts").fields("email"));

        assertThat(contacts)
                .extracting(r -> r.data().string("email"))
                .containsExactlyInAnyOrder("emailmaria@hubspot.com", "bh@hubspot.com");
        assertThat(contacts.get(0).data().has("firstname")).isFalse();
        String body = FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/search"))
                .findFirst()
                .orElseThrow()
                .body();
        assertThat(body).contains("\"properties\":[\"email\",\"lastmodifieddate\",\"hs_object_id\"]");
    }

    @Test
    void aNoteAndATaskAreCreatedAssociatedWithTheirRecords() {
        JsonObject note = run(
                "create_note",
                "{\"body\":\"Called back\",\"ownerId\":\"41629779\","
                        + "\"associations\":[{\"objectType\":\"contacts\",\"id\":\"1\"},{\"objectType\":\"tickets\",\"id\":\"1075966440\"}]}");
        JsonObject task = run(
                "create_task",
                "{\"subject\":\"Send the quote\",\"priority\":\"HIGH\","
                        + "\"associations\":[{\"objectType\":\"deals\",\"id\":\"6744192456\"}]}");

        assertThat(FAKE.associations("notes", note.string("id"), "contacts")).containsExactly("1");
        assertThat(FAKE.associations("notes", note.string("id"), "tickets")).containsExactly("1075966440");
        assertThat(FAKE.associations("deals", "6744192456", "tasks")).containsExactly(task.string("id"));
        JsonObject storedNote =
                FAKE.object("notes", note.string("id")).orElseThrow().object("properties");
        assertThat(storedNote.string("hs_note_body")).isEqualTo("Called back");
        assertThat(storedNote.string("hs_timestamp")).isEqualTo("2026-06-01T09:00:00Z");
        assertThat(storedNote.string("hubspot_owner_id")).isEqualTo("41629779");
        JsonObject storedTask =
                FAKE.object("tasks", task.string("id")).orElseThrow().object("properties");
        assertThat(storedTask.string("hs_task_subject")).isEqualTo("Send the quote");
        assertThat(storedTask.string("hs_task_status")).isEqualTo("NOT_STARTED");
        assertThat(storedTask.string("hs_task_priority")).isEqualTo("HIGH");
    }

    @Test
    void aCreateWhoseAnswerIsLostIsNotSentAgain() {
        FAKE.faults().serverErrors(1, 502);

        assertThatThrownBy(() -> run(
                        "create_note",
                        "{\"body\":\"x\",\"associations\":[{\"objectType\":\"contacts\",\"id\":\"1\"}]}"))
                .isInstanceOf(OutcomeUnknownException.class);

        assertThat(FAKE.requestCount(r -> r.method().equals("POST") && r.path().equals("/crm/v3/objects/notes")))
                .isEqualTo(1);
    }

    @Test
    void aTicketUpdateIsRetriedBecauseItIsSafeToRepeat() {
        FAKE.faults().serverErrors(1, 503);

        JsonObject ticket =
                run("update_ticket", "{\"ticketId\":\"1075966440\",\"properties\":{\"hs_ticket_priority\":\"LOW\"}}");

        assertThat(ticket.string("hs_ticket_priority")).isEqualTo("LOW");
        assertThat(FAKE.requestCount(r -> r.method().equals("PATCH"))).isEqualTo(2);
        assertThat(FAKE.object("tickets", "1075966440")
                        .orElseThrow()
                        .object("properties")
                        .string("hs_ticket_priority"))
                .isEqualTo("LOW");
    }

    @Test
    void aConnectionWithoutItsPortalIsRefused() {
        assertThatThrownBy(() -> Switchboard.builder()
                        .discoverConnectors(true)
                        .connection(ConnectionConfig.builder("hubspot-x")
                                .connector("hubspot")
                                .baseUrl(FAKE.baseUrl())
                                .build())
                        .tokenStore(dev.switchboard.core.auth.TokenStore.inMemory(clock))
                        .build())
                .hasStackTraceContaining("portalId");
    }
}

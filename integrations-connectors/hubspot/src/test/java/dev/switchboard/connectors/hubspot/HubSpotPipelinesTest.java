package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import dev.switchboard.connectors.hubspot.internal.HubSpotRecords;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.normalize.Deal;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityStream;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Pipeline;
import dev.switchboard.normalize.PipelineStage;
import dev.switchboard.normalize.StageKind;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code pipelines} stream read from FakeHubSpot's {@code GET /crm/v3/pipelines/{objectType}}, and
 * its records as {@link Pipeline} entities.
 */
class HubSpotPipelinesTest extends VirtualHubSpotTest {
    private final Normalizer normalizer = Normalizer.standard();

    private Map<String, Entity> entities(ReadRequest request) {
        Map<String, Entity> byId = new LinkedHashMap<>();
        try (EntityStream entities = normalizer.read(hub.connection, HubSpotHarness.CONTEXT, request)) {
            entities.forEach(e -> byId.put(e.origin().sourceId(), e));
        }
        return byId;
    }

    @Test
    void bothObjectTypesAreReadOneRequestEachAsHubSpotSendsThem() {
        List<Record> read = hub.readAll(ReadRequest.of("pipelines"));

        assertThat(read).extracting(Record::id).containsExactly("deals.default", "tickets.0");
        assertThat(FAKE.requestCount("/crm/v3/pipelines/deals")).isEqualTo(1);
        assertThat(FAKE.requestCount("/crm/v3/pipelines/tickets")).isEqualTo(1);
        JsonObject deals = read.get(0).data();
        assertThat(deals.string("objectType")).isEqualTo("deals");
        assertThat(deals.string("pipelineId")).isEqualTo("default");
        assertThat(deals.string("label")).isEqualTo("Sales Pipeline");
        assertThat(deals.array("stages")).hasSize(7);
        assertThat(read).allSatisfy(r -> assertThat(r.acl().tenant()).isEqualTo(HubSpotHarness.PORTAL));
    }

    @Test
    void theDefaultDealPipelineIsAPipelineOfDealsWithItsStagesKindsAndProbabilities() {
        Pipeline deals = (Pipeline) entities(ReadRequest.of("pipelines")).get("deals.default");

        assertThat(deals.name()).contains("Sales Pipeline");
        assertThat(deals.get(Pipeline.OBJECT_TYPE)).contains("deal");
        assertThat(deals.stages())
                .extracting(PipelineStage::id, PipelineStage::kind, PipelineStage::probability)
                .containsExactly(
                        tuple("appointmentscheduled", StageKind.OPEN, new BigDecimal("0.2")),
                        tuple("qualifiedtobuy", StageKind.OPEN, new BigDecimal("0.4")),
                        tuple("presentationscheduled", StageKind.OPEN, new BigDecimal("0.6")),
                        tuple("decisionmakerboughtin", StageKind.OPEN, new BigDecimal("0.8")),
                        tuple("contractsent", StageKind.OPEN, new BigDecimal("0.9")),
                        tuple("closedwon", StageKind.WON, new BigDecimal("1.0")),
                        tuple("closedlost", StageKind.LOST, new BigDecimal("0.0")));
        assertThat(deals.stage("closedwon").orElseThrow().label()).isEqualTo("Closed Won");
        assertThat(deals.provenance(Pipeline.STAGES).orElseThrow().sourceField())
                .isEqualTo("stages");
        assertThat(deals.issues()).isEmpty();
    }

    @Test
    void theDefaultTicketPipelinesStagesMeanWhatATicketsStageMeans() {
        Pipeline tickets = (Pipeline) entities(ReadRequest.of("pipelines").where("objectType", "tickets"))
                .get("tickets.0");

        assertThat(tickets.get(Pipeline.OBJECT_TYPE)).contains("ticket");
        assertThat(tickets.stages())
                .extracting(PipelineStage::id, PipelineStage::label, PipelineStage::kind, PipelineStage::probability)
                .containsExactly(
                        tuple("1", "New", StageKind.NEW, null),
                        tuple("2", "Waiting on contact", StageKind.WAITING, null),
                        tuple("3", "Waiting on us", StageKind.OPEN, null),
                        tuple("4", "Closed", StageKind.CLOSED, null));
        assertThat(FAKE.requestCount("/crm/v3/pipelines/deals")).isZero();
        // A ticket read alone and its pipeline agree on what its stage means (one rule for both).
        Entity ticket = entities(ReadRequest.of("tickets")).get("1075966440");
        var stage = ticket.get(Ticket.STAGE).orElseThrow();
        assertThat(tickets.stage(stage.id()).orElseThrow().kind()).isEqualTo(stage.kind());
    }

    @Test
    void aDealsOrTicketsStageKindReadFromItsIdAgreesWithItsDefaultPipelinesStage() {
        Map<String, Entity> pipelines = entities(ReadRequest.of("pipelines"));
        HubSpotRecords records = new HubSpotRecords("hubspot-acme", HubSpotHarness.PORTAL);
        for (PipelineStage s : ((Pipeline) pipelines.get("deals.default")).stages()) {
            Entity deal = normalizer.normalize(records.crmObject("deals", (JsonObject) Json.parse("{\"id\":\"1\","
                    + "\"updatedAt\":\"2026-01-01T00:00:00Z\",\"properties\":{\"dealstage\":\"" + s.id()
                    + "\",\"pipeline\":\"default\"}}")));
            assertThat(deal.get(Deal.STAGE).orElseThrow().kind()).as(s.id()).isEqualTo(s.kind());
        }
        for (PipelineStage s : ((Pipeline) pipelines.get("tickets.0")).stages()) {
            Entity ticket = normalizer.normalize(records.crmObject("tickets", (JsonObject) Json.parse("{\"id\":\"1\","
                    + "\"updatedAt\":\"2026-01-01T00:00:00Z\",\"properties\":{\"hs_pipeline_stage\":\""
                    + s.id() + "\",\"hs_pipeline\":\"0\"}}")));
            assertThat(ticket.get(Ticket.STAGE).orElseThrow().kind()).as(s.id()).isEqualTo(s.kind());
        }
    }

    @Test
    void aCustomPipelinesStagesTakeTheirKindsFromTheirMetadata() {
        FAKE.addPipeline(
                "deals",
                FakeHubSpot.pipeline(
                        "87654321",
                        "Renewals",
                        1,
                        List.of(
                                FakeHubSpot.dealStage("1001", "Renewal due", "0.5", false),
                                FakeHubSpot.dealStage("1002", "Renewed", "1.0", true),
                                FakeHubSpot.dealStage("1003", "Churned", "0.0", true))));
        FAKE.addPipeline(
                "tickets",
                FakeHubSpot.pipeline(
                        "5551",
                        "Escalations",
                        1,
                        List.of(
                                FakeHubSpot.ticketStage("2001", "Escalated", false),
                                FakeHubSpot.ticketStage("2002", "Resolved", true))));

        Map<String, Entity> read = entities(ReadRequest.of("pipelines"));

        assertThat(read).containsKeys("deals.default", "deals.87654321", "tickets.0", "tickets.5551");
        Pipeline renewals = (Pipeline) read.get("deals.87654321");
        assertThat(renewals.name()).contains("Renewals");
        assertThat(renewals.get(Pipeline.DISPLAY_ORDER)).contains(1L);
        assertThat(renewals.stages())
                .extracting(PipelineStage::id, PipelineStage::kind)
                .containsExactly(
                        tuple("1001", StageKind.OPEN), tuple("1002", StageKind.WON), tuple("1003", StageKind.LOST));
        // A custom ticket pipeline's open stage is OPEN: only the default pipeline's ids say NEW or WAITING.
        assertThat(((Pipeline) read.get("tickets.5551")).stages())
                .extracting(PipelineStage::id, PipelineStage::kind)
                .containsExactly(tuple("2001", StageKind.OPEN), tuple("2002", StageKind.CLOSED));
    }

    @Test
    void stagesAreInDisplayOrderWhateverOrderTheyCameIn() {
        FAKE.addPipeline(
                "deals",
                FakeHubSpot.pipeline(
                        "77",
                        "Shuffled",
                        2,
                        List.of(
                                withOrder(FakeHubSpot.dealStage("b", "Second", "0.5", false), 1),
                                withOrder(FakeHubSpot.dealStage("a", "First", "0.1", false), 0))));

        Pipeline shuffled = (Pipeline) entities(ReadRequest.of("pipelines")).get("deals.77");

        assertThat(shuffled.stages()).extracting(PipelineStage::id).containsExactly("a", "b");
    }

    @Test
    void aBadStageIsAnIssueAndTheOtherStagesAreKept() {
        FAKE.addPipeline(
                "deals",
                FakeHubSpot.pipeline(
                        "99",
                        "Messy",
                        3,
                        List.of(
                                FakeHubSpot.dealStage("ok", "Fine", "0.3", false),
                                FakeHubSpot.dealStage("pct", "Percent", "30", false),
                                FakeHubSpot.dealStage("nan", "Words", "likely", false),
                                JsonObject.builder()
                                        .put("label", "No id")
                                        .put(
                                                "metadata",
                                                JsonObject.builder()
                                                        .put("probability", "0.1")
                                                        .build())
                                        .build(),
                                JsonObject.builder()
                                        .put("id", "nolabel")
                                        .put(
                                                "metadata",
                                                JsonObject.builder()
                                                        .put("probability", "0.1")
                                                        .build())
                                        .build())));

        Pipeline messy = (Pipeline) entities(ReadRequest.of("pipelines")).get("deals.99");

        assertThat(messy.stages()).extracting(PipelineStage::id).containsExactly("ok");
        assertThat(messy.issues())
                .extracting(Drift::field, Drift::kind)
                .containsExactlyInAnyOrder(
                        tuple("stages.metadata.probability", Drift.Kind.TYPE_CHANGED),
                        tuple("stages.metadata.probability", Drift.Kind.TYPE_CHANGED),
                        tuple("stages.id", Drift.Kind.MISSING),
                        tuple("stages.label", Drift.Kind.MISSING));
        // An issue names what was expected, never the value read.
        assertThat(messy.issues()).noneMatch(d -> String.valueOf(d.observed()).contains("likely"));
    }

    @Test
    void anObjectTypeHubSpotHasNoPipelinesForIsHubSpotsErrorTyped() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> hub.readAll(ReadRequest.of("pipelines").where("objectType", "widgets")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("VALIDATION_ERROR", "Unable to infer object type from: widgets");
        assertThat(FAKE.requestCount("/crm/v3/pipelines/widgets")).isEqualTo(1);
    }

    @Test
    void anObjectTypeThatIsNotANameIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> hub.readAll(ReadRequest.of("pipelines").where("objectType", "../owners")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(FAKE.requests()).noneMatch(r -> r.path().contains("owners"));
    }

    private static JsonObject withOrder(JsonObject stage, int order) {
        JsonObject.Builder b = JsonObject.builder();
        stage.fields().forEach(b::put);
        return b.put("displayOrder", order).build();
    }
}

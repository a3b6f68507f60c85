package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the model built from several source fields: stages, contact points, addresses, new types. */
class SourceModelTest {
    private static Record record(String stream, String json) {
        return Record.builder().stream(stream)
                .id("r1")
                .source(new RecordSource("warehouse", "wh", stream))
                .data((JsonObject) Json.parse(json))
                .build();
    }

    @Test
    void aStageMappedByConfigurationTakesItsKindFromTheCodesAndIsOtherWithoutOne() {
        Normalizer normalizer = Normalizer.builder()
                .fieldMappings("wh", FieldMappings.parse("""
                                streams:
                                  deals:
                                    entity: deal
                                    fields:
                                      - { from: stage, to: stage, codes: { Signed: WON, Dropped: LOST } }
                                """, FieldMappings.Format.YAML))
                .build();
        Deal won = (Deal) normalizer.normalize(record("deals", "{\"stage\":\"Signed\"}"));
        Deal custom = (Deal) normalizer.normalize(record("deals", "{\"stage\":\"Pilot\"}"));
        assertThat(won.stage()).contains(new Stage("Signed", null, null, StageKind.WON));
        assertThat(won.provenance(Deal.STAGE).orElseThrow().sourceField()).isEqualTo("stage");
        assertThat(custom.stage()).contains(new Stage("Pilot", null, null, StageKind.OTHER));
    }

    @Test
    void aStageCodeThatIsNoStageKindIsRefusedWhenTheMappingIsLoaded() {
        assertThatThrownBy(() -> FieldMappings.parse("""
                        streams:
                          deals:
                            entity: deal
                            fields:
                              - { from: stage, to: stage, codes: { Signed: CLOSED_WON } }
                        """, FieldMappings.Format.YAML))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StageKind");
    }

    @Test
    void aListBuiltByTheMapperCannotBeMappedFromOneSourceField() {
        assertThatThrownBy(() -> FieldMappings.parse("""
                        streams:
                          customers:
                            entity: person
                            fields:
                              - { from: all_emails, to: emails }
                        """, FieldMappings.Format.YAML))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'emails' is built by the connector's mapper");
    }

    @Test
    void contactPointsKeepTheirKindAndSourceFieldAndARepeatedValueOnce() {
        SourceFields in = new SourceFields(record(
                "people",
                "{\"work\":\"Jane@Acme.com\",\"home\":\"jane@home.example\",\"other\":\"jane@acme.com\","
                        + "\"bad\":42}"));
        List<ContactPoint<Email>> points = in.contactPoints(
                        ContactPoint.of(in.email("work"), ContactKind.WORK),
                        ContactPoint.of(in.email("home"), ContactKind.HOME),
                        ContactPoint.of(in.email("other"), ContactKind.OTHER),
                        ContactPoint.of(in.email("bad"), ContactKind.OTHER),
                        ContactPoint.of(in.email("absent"), ContactKind.OTHER))
                .orElseThrow()
                .value();
        assertThat(points)
                .extracting(
                        p -> p.value().address(),
                        ContactPoint::kind,
                        p -> p.provenance().sourceField())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("jane@acme.com", ContactKind.WORK, "work"),
                        org.assertj.core.groups.Tuple.tuple("jane@home.example", ContactKind.HOME, "home"));
        assertThat(in.issues()).extracting(Drift::field).containsExactly("bad");
        assertThat(points.get(0).toString()).doesNotContain("jane");
    }

    @Test
    void anAddressIsReadPartByPartAndAPartThatIsNotTextIsAnIssue() {
        SourceFields in = new SourceFields(record(
                "people",
                "{\"street\":\"1 Main St\",\"city\":\"Springfield\",\"zip\":{\"code\":1},\"country\":\"US\"}"));
        Value<Address> address = in.address("address", "street", "city", "state", "zip", "country")
                .orElseThrow();
        assertThat(address.value()).isEqualTo(new Address("1 Main St", "Springfield", null, null, "US"));
        assertThat(address.provenance().sourceField()).isEqualTo("address");
        assertThat(in.issues()).extracting(Drift::field).containsExactly("zip");
        assertThat(address.value().toString()).doesNotContain("Main").doesNotContain("Springfield");
        assertThat(in.address("none", "a", "b", "c", "d", "e")).isEmpty();
    }

    @Test
    void everyNewTypeBuildsItsOwnClassAndOwnersPointAtUsers() {
        Record r = record("x", "{}");
        assertThat(Entity.builder(EntityType.USER, r).build()).isInstanceOf(User.class);
        assertThat(Entity.builder(EntityType.TEAM, r).build()).isInstanceOf(Team.class);
        assertThat(Entity.builder(EntityType.COMMENT, r).build()).isInstanceOf(Comment.class);
        assertThat(Entity.builder(EntityType.LEAD, r).build()).isInstanceOf(Lead.class);
        assertThat(Entity.builder(EntityType.PIPELINE, r).build()).isInstanceOf(Pipeline.class);
        assertThat(List.of(Person.OWNER, Organization.OWNER, Ticket.OWNER, Deal.OWNER, Activity.OWNER, Lead.OWNER))
                .allSatisfy(f -> assertThat(f.refersTo()).isEqualTo(EntityType.USER));
    }
}

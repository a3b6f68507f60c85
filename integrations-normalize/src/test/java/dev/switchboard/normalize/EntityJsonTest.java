package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Entities to JSON and back: real normalized entities, every field of every type, and input that is refused. */
class EntityJsonTest {
    private static final Instant DELETED = Instant.parse("2024-06-01T12:00:00.123456789Z");

    /** Entities as the mappers make them from records shaped as the connectors emit them. */
    private static List<Entity> normalized() {
        // the configured mappings of the linking tests, and mappers as a connector module registers them
        Normalizer n = Normalizer.builder()
                .serviceLoader(false)
                .fieldMappings(
                        SourceRecords.SF, FieldMappings.parse(LinkingFixtures.SF_MAPPINGS, FieldMappings.Format.YAML))
                .fieldMappings(
                        SourceRecords.HS, FieldMappings.parse(LinkingFixtures.HS_MAPPINGS, FieldMappings.Format.YAML))
                .fieldMappings(
                        SourceRecords.SLACK,
                        FieldMappings.parse(LinkingFixtures.SLACK_MAPPINGS, FieldMappings.Format.YAML))
                .mapper(SourceRecords.mapper(
                        "salesforce",
                        "Task",
                        in -> in.entity(EntityType.ACTIVITY)
                                .set(
                                        Activity.KIND,
                                        in.coded("TaskSubtype", ActivityKind.class, Map.of("Call", ActivityKind.CALL)))
                                .set(Activity.SUBJECT, in.text("Subject"))
                                .set(Activity.STATUS, in.coded("Status", ActivityStatus.class, Map.of()))
                                .set(Activity.DUE_AT, in.timestamp("ActivityDate"))
                                .set(Activity.RELATED_TO, in.ref("WhatId", EntityType.ORGANIZATION, "Account"))))
                .mapper(SourceRecords.mapper(
                        "slack",
                        "messages",
                        in -> in.entity(EntityType.MESSAGE)
                                .set(Message.TEXT, in.text("text"))
                                .set(Message.CHANNEL, in.text("channel"))
                                .set(Message.THREAD, in.text("thread_ts"))
                                .set(Message.REPLY_COUNT, in.integer("reply_count"))
                                .set(Message.AUTHOR, in.ref("user", EntityType.PERSON, "user"))))
                .build();
        List<Record> records = new ArrayList<>(List.of(
                LinkingFixtures.sfContact(
                        "0035g00000JaneAAA", "Jane.Doe@Acme.com", "Jane Doe", "0015g00000AcmeAAA", "+1 (415) 555-0100"),
                LinkingFixtures.sfContact("0035g00000BadAAAA", "not an email", "No Mail", null),
                LinkingFixtures.sfAccount("0015g00000AcmeAAA", "Acme Corporation", "https://www.acme.com/", "Gold"),
                LinkingFixtures.sfAccount("0015g00000OddAAAA", "Odd Ltd", null, "Bronze"),
                LinkingFixtures.sfOpportunity("0065g00000DealAAA", "0015g00000AcmeAAA", "125000.50"),
                LinkingFixtures.sfCase("5005g00000CaseAAA", "0035g00000JaneAAA", "0015g00000AcmeAAA", "Export fails"),
                LinkingFixtures.hsContact("901", "jane@acme.com", "Jane", "Doe", null),
                LinkingFixtures.hsCompany("7086461639", "Acme", "acme.com", "0015g00000AcmeAAA", "gold"),
                LinkingFixtures.hsTicket("42", "Export fails"),
                LinkingFixtures.slackUser("U0JANE", "jane@acme.com", "Jane Doe"),
                SourceRecords.salesforce("Task", """
                        {"attributes":{"type":"Task"},"Id":"00T5g00000CallAAA","Subject":"Call Jane back",
                         "TaskSubtype":"Call","Status":"Waiting on someone","ActivityDate":"2024-05-06T00:00:00Z",
                         "WhatId":"0015g00000AcmeAAA","SystemModstamp":"2024-05-05T08:00:00.000+0000"}"""),
                Record.builder().stream("messages")
                        .id("C0SUPPORT/1714550000.000100")
                        .source(new RecordSource("slack", SourceRecords.SLACK, "message"))
                        .data((JsonObject) Json.parse("""
                                {"ts":"1714550000.000100","channel":"C0SUPPORT","user":"U0JANE",
                                 "text":"export fails again","thread_ts":"1714549000.000100","reply_count":4}"""))
                        .version("1714550000.000100")
                        .acl(Acl.tenant(SourceRecords.SLACK_TEAM))
                        .build(),
                // no mapping: a generic entity, every field typed by its JSON type
                SourceRecords.hubspot("quotes", """
                        {"id":"77","properties":{"hs_title":"Q-77","hs_amount":"1234.5000","hs_count":3,
                         "hs_flag":true,"hs_lines":[{"sku":"A","qty":2.50}],"hs_meta":{"x":null}},
                         "createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-02T00:00:00Z","archived":false}""")));
        // a tombstone, as core hands it on: the record deleted at the source, with when
        records.add(LinkingFixtures.sfContact("0035g00000GoneAAA", "gone@acme.com", "Gone", null)
                .newBuilder()
                .deleted(DELETED)
                .build());
        // an ACL with roles and a record without version or update time
        records.add(Record.builder().stream("Contact")
                .id("0035g00000RoleAAA")
                .source(new RecordSource("salesforce", SourceRecords.SF, "Contact"))
                .data((JsonObject) Json.parse("{\"Id\":\"0035g00000RoleAAA\",\"Email\":\"r@acme.com\"}"))
                .acl(new Acl("005OWNER", SourceRecords.SF_ORG, Visibility.PRIVATE, Set.of("support", "admin")))
                .build());
        return records.stream().map(n::normalize).toList();
    }

    @Test
    void normalizedEntitiesComeBackEqualWithoutTheirRawData() {
        List<Entity> entities = normalized();
        // The types these fixtures' mappings make; users, teams, comments, leads and pipelines come from the
        // connectors' own mappers, and every field of theirs round-trips in everyFieldOfEveryTypeRoundTrips.
        assertThat(entities)
                .extracting(Entity::type)
                .contains(
                        EntityType.PERSON,
                        EntityType.ORGANIZATION,
                        EntityType.TICKET,
                        EntityType.DEAL,
                        EntityType.MESSAGE,
                        EntityType.ACTIVITY,
                        EntityType.GENERIC);
        for (Entity e : entities) {
            Entity back = EntityJson.read(EntityJson.write(e));
            assertSame(back, e);
        }
        // what the fixtures are there for: each of these is in some entity
        assertThat(entities).anySatisfy(e -> assertThat(e.issues()).isNotEmpty());
        assertThat(entities).anySatisfy(e -> assertThat(e.externalIds()).isNotEmpty());
        assertThat(entities).anySatisfy(e -> assertThat(e.deleted()).isTrue());
        assertThat(entities).anySatisfy(e -> assertThat(e.customValues()).isNotEmpty());
        assertThat(entities)
                .anySatisfy(e -> assertThat(e.values().values())
                        .anySatisfy(v -> assertThat(v.value()).isInstanceOf(Coded.class)));
    }

    @Test
    void anEntityWithoutRawDataAndItsTextAreStable() {
        for (Entity e : normalized()) {
            String json = EntityJson.write(e);
            Entity back = EntityJson.read(json);
            assertThat(EntityJson.write(back)).isEqualTo(json);
            assertThat(EntityJson.write(e.withoutRaw())).isEqualTo(json);
        }
    }

    @Test
    void theTextHoldsNoRawDataOnlyTheRecordsIdentity() {
        Record jane = LinkingFixtures.sfContact("0035g00000JaneAAA", "jane@acme.com", "Jane Doe", null);
        Record withNote = jane.newBuilder()
                .data(jane.data()
                        .newBuilder()
                        .put("Secret_Note__c", "prefers calls after six")
                        .build())
                .build();
        Entity e = LinkingFixtures.normalizer().normalize(withNote);
        String json = EntityJson.write(e);
        assertThat(json).doesNotContain("prefers calls").doesNotContain("Secret_Note__c");
        assertThat(json).contains("\"format\":" + EntityJson.FORMAT);
        assertThat(EntityJson.read(json).raw().data().fields()).isEmpty();
    }

    /**
     * Every field of every entity type, with a value of its class: a type or a value class added later fails here
     * until EntityJson writes and reads it.
     */
    @Test
    void everyFieldOfEveryTypeRoundTrips() {
        Record record = identity("Thing", "1", Acl.tenant("tenant-1"));
        for (EntityType type : EntityType.values()) {
            Entity.Builder b = Entity.builder(type, record);
            Provenance p = new Provenance(b.origin(), "src_field");
            for (Field<?> field : type.fields()) {
                set(b, field, new Value<>(sample(field), p));
            }
            // custom values hold any kind, with no field to say which
            for (ValueKind kind : ValueKind.values()) {
                b.custom(
                        "custom_" + kind.name().toLowerCase(java.util.Locale.ROOT),
                        Optional.of(new Value<>(sample(kind), p)));
            }
            b.custom("code", Optional.of(new Value<>(new Code("GOLD", "Gold"), p)));
            Entity e = b.build();
            assertThat(e.values()).hasSameSizeAs(type.fields());
            Entity back = EntityJson.read(EntityJson.write(e));
            assertSame(back, e);
            for (Field<?> field : type.fields()) {
                assertThat(back.get(field).orElseThrow().getClass())
                        .as("class of %s", field)
                        .isEqualTo(e.get(field).orElseThrow().getClass());
            }
        }
    }

    /** A sample value for a field, by its value class and kind. */
    private static Object sample(Field<?> field) {
        if (field.kind() == ValueKind.CODED) {
            Class<? extends Enum<?>> codes = field.codes();
            assertThat(codes).as("enumeration of %s", field).isNotNull();
            Enum<?>[] constants = codes.getEnumConstants();
            return coded(constants[constants.length - 1], "Source Spelling");
        }
        if (field.kind() == ValueKind.REF) {
            return new EntityRef(field.refersTo(), "salesforce", "sf-acme", "Account", "0015g00000AcmeAAA");
        }
        if (field.kind() == ValueKind.STRUCTURED) {
            return structured(field);
        }
        Object sample = sample(field.kind());
        assertThat(field.valueClass())
                .as(
                        "no sample for the values of %s (%s): teach EntityJson and this test the new class",
                        field, field.valueClass().getName())
                .isAssignableFrom(sample.getClass());
        return sample;
    }

    /** A sample of each kind; a new kind fails to compile here until it has one. */
    private static Object sample(ValueKind kind) {
        return switch (kind) {
            case TEXT -> "Zoë 😀 \"quoted\" \n\t\\";
            case EMAIL -> new Email("jane.doe@acme.com");
            case PHONE -> Phone.parse("+44 (0)20 7946-0958").orElseThrow();
            case MONEY -> Money.of("125000.5000", "EUR");
            case TIMESTAMP -> Instant.parse("2024-05-02T08:00:00.123456789Z");
            case DATE -> LocalDate.of(2024, 2, 29);
            case NUMBER -> new BigDecimal("12345678901234567890.123456789000");
            case INTEGER -> Long.MIN_VALUE;
            case BOOLEAN -> Boolean.FALSE;
            case CODED -> coded(Priority.values()[0], "P1");
            case REF -> new EntityRef(EntityType.GENERIC, "jdbc", "warehouse", "orders", "o-1");
            case JSON -> Json.parse("{\"a\":[1,2.50,\"x\",null,true,{\"b\":1e400}],\"c\":{}}");
            case STAGE -> new Stage("closedwon", "Closed Won", "default", StageKind.WON);
            case STRUCTURED ->
                List.of(
                        "vip",
                        new Stage("1", null, null, StageKind.OTHER),
                        new Attachment("att-1", null, null, null, null),
                        List.of(new Address(null, "Paris", null, null, "FR")));
        };
    }

    /** A sample of a structured field (a list whose items its name says); a new one fails until it has one. */
    private static Object structured(Field<?> field) {
        Provenance elsewhere = new Provenance(
                new Origin("hubspot", "hs-acme", "2240411", "contacts", "901", "7", Instant.EPOCH), "mobilephone");
        return switch (field.name()) {
            case "tags" -> List.of("vip", "billing", "Zoë 😀");
            case "attachments" ->
                List.of(
                        new Attachment("069A", "invoice.pdf", "application/pdf", 48_213L, "/services/data/v62.0/x"),
                        new Attachment("069B", null, null, null, null));
            case "emails" -> List.of(new ContactPoint<>(new Email("jane@acme.com"), ContactKind.WORK, elsewhere));
            case "phones" ->
                List.of(new ContactPoint<>(
                        Phone.parse("+1 415 555 0100").orElseThrow(), ContactKind.MOBILE, elsewhere));
            case "addresses" ->
                List.of(new ContactPoint<>(
                        new Address("1 Main St", "Springfield", "IL", "62701", "US"), ContactKind.MAILING, elsewhere));
            case "members", "teams" ->
                List.of(new EntityRef(EntityType.USER, "salesforce", "sf-acme", "User", "0055g00000OwnerAAA"));
            case "stages" ->
                List.of(
                        new PipelineStage(
                                "appointmentscheduled", "Appointment", 0, new BigDecimal("0.2"), StageKind.OPEN),
                        new PipelineStage("closedwon", "Won", 5, null, StageKind.WON));
            default ->
                throw new AssertionError(
                        "no sample for the structured field " + field + ": teach EntityJson and this test its values");
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Coded<?> coded(Enum<?> constant, String raw) {
        return new Coded((Enum) constant, raw);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void set(Entity.Builder b, Field<?> field, Value<?> value) {
        b.set((Field) field, (Value) value);
    }

    @Test
    void aValueWhoseProvenanceNamesAnotherRecordKeepsIt() {
        Record record = identity("Contact", "1", null);
        Entity.Builder b = Entity.builder(EntityType.PERSON, record);
        Origin other = new Origin("hubspot", "hs-acme", "2240411", "contacts", "901", null, Instant.EPOCH);
        b.set(Person.NAME, new Value<>("Jane", new Provenance(other, "firstname")));
        b.set(Person.TITLE, new Value<>("CTO", new Provenance(other, null)));
        b.externalId(Optional.of(new Value<>(new ExternalId("hubspot", "901"), new Provenance(other, "id"))));
        b.issue(new Drift("Email", Drift.Kind.TYPE_CHANGED, "EMAIL", null));
        Entity e = b.build();
        Entity back = EntityJson.read(EntityJson.write(e));
        assertSame(back, e);
        assertThat(back.provenance(Person.NAME).orElseThrow().origin()).isEqualTo(other);
    }

    @Test
    void anOriginNotDerivedFromTheRecordIsKept() {
        Record record = identity("customers", "1", Acl.tenant("acme"));
        Origin origin = new Origin("jdbc", "warehouse", "elsewhere", "customers", "1", "v9", null);
        Entity e = Entity.builder(EntityType.ORGANIZATION, record, origin)
                .derived(Organization.NAME, "Acme")
                .build();
        Entity back = EntityJson.read(EntityJson.write(e));
        assertSame(back, e);
        assertThat(back.origin()).isEqualTo(origin);
    }

    @Test
    void aValueOfAnUnknownClassIsRefusedOnWriteNamingTheClass() {
        Record record = identity("quotes", "1", null);
        Entity.Builder b = Entity.builder(EntityType.GENERIC, record);
        b.custom("when", Optional.of(new Value<>(java.time.Duration.ofSeconds(5), new Provenance(b.origin(), "x"))));
        Entity e = b.build();
        assertThatThrownBy(() -> EntityJson.write(e))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.time.Duration")
                .hasMessageContaining("custom value when")
                .hasMessageNotContaining("PT5S");
    }

    @Test
    void badInputIsRefusedSayingWhatIsWrongWithoutValues() {
        Entity jane = normalized().get(0);
        String json = EntityJson.write(jane);
        assertThat(json).contains("jane.doe@acme.com");

        assertBad("jane.doe@acme.com is not json {", "not JSON");
        assertBad("[1,2]", "not a JSON object");
        assertBad("{}", "no format version");
        assertBad(json.replace("\"format\":1", "\"format\":2"), "upgrade Switchboard");
        assertBad(json.replace("\"format\":1", "\"format\":0"), "not a positive number");
        assertBad(json.replace("\"type\":\"PERSON\"", "\"type\":\"SPACESHIP\""), "type");
        assertBad(json.replace("\"stream\":\"Contact\",", ""), "record.stream is missing");
        assertBad(json.replace("\"t\":\"email\"", "\"t\":\"hologram\""), "unknown type tag 'hologram'");
        assertBad(json.replace("\"v\":\"jane.doe@acme.com\"", "\"v\":\"jane.doe-at-acme.com\""), "values.email");
        assertBad(json.replace("\"email\":{", "\"hairColour\":{"), "values.hairColour is not a field of PERSON");
        // a field given a value of another class
        assertBad(
                json.replace("\"t\":\"email\",\"v\":\"jane.doe@acme.com\"", "\"t\":\"integer\",\"v\":7"),
                "values.email holds a Long");
    }

    @Test
    void aCodedValueLoadsOnlyEnumerationsOfThisPackage() {
        Record record = identity("tickets", "1", null);
        Entity e = Entity.builder(EntityType.TICKET, record)
                .derived(Ticket.PRIORITY, Coded.of(Priority.class, "unheard of", Map.of()))
                .build();
        String json = EntityJson.write(e);
        String priority = Priority.class.getName();
        assertThat(json).contains(priority);
        assertBad(json.replace(priority, "java.lang.Thread$State"), "not an enumeration of dev.switchboard.normalize");
        assertBad(json.replace(priority, "dev.switchboard.normalize.internal.Evil"), "not an enumeration");
        assertBad(json.replace(priority, "dev.switchboard.normalize.Person"), "not an enumeration");
        assertBad(json.replace(priority, "dev.switchboard.normalize.NoSuchCodes"), "does not have");
        assertBad(json.replace(priority, DealStatus.class.getName()), "holds codes of Priority");
    }

    private static void assertBad(String json, String says) {
        assertThatThrownBy(() -> EntityJson.read(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(says)
                .hasMessageNotContaining("jane.doe")
                .satisfies(x -> assertThat(x.getMessage()).containsAnyOf("hand read()", "upgrade Switchboard"));
    }

    private static Record identity(String object, String id, Acl acl) {
        return Record.builder().stream(object)
                .id(id)
                .source(new RecordSource("salesforce", "sf-acme", object))
                .data(JsonObject.empty())
                .version("v1")
                .updatedAt(Instant.parse("2024-05-02T08:00:00Z"))
                .acl(acl)
                .build();
    }

    /** Equal in every part the codec keeps, which is more than {@link Entity#equals} compares. */
    private static void assertSame(Entity back, Entity e) {
        Entity expected = e.withoutRaw();
        assertThat(back).isEqualTo(expected);
        assertThat(back.hasRaw()).isFalse();
        assertThat(back.getClass()).isEqualTo(e.getClass());
        assertThat(back.type()).isEqualTo(e.type());
        assertThat(back.origin()).isEqualTo(e.origin());
        assertThat(back.raw()).isEqualTo(expected.raw());
        assertThat(back.raw().version()).isEqualTo(e.raw().version());
        assertThat(back.raw().acl()).isEqualTo(e.raw().acl());
        assertThat(back.deleted()).isEqualTo(e.deleted());
        assertThat(back.deletedAt()).isEqualTo(e.deletedAt());
        assertThat(back.values()).containsExactlyEntriesOf(e.values());
        for (Map.Entry<Field<?>, Value<?>> v : e.values().entrySet()) {
            Value<?> got = back.values().get(v.getKey());
            assertThat(got.provenance()).isEqualTo(v.getValue().provenance());
            if (v.getValue().value() instanceof Coded<?> c) {
                assertThat(((Coded<?>) got.value()).code()).isSameAs(c.code());
            }
            if (v.getValue().value() instanceof BigDecimal d) {
                assertThat(((BigDecimal) got.value()).scale()).isEqualTo(d.scale());
            }
        }
        assertThat(back.customValues()).containsExactlyEntriesOf(e.customValues());
        for (Map.Entry<String, Value<?>> v : e.customValues().entrySet()) {
            Object want = v.getValue().value();
            Object got = back.customValues().get(v.getKey()).value();
            assertThat(got.getClass()).isEqualTo(want.getClass());
            if (want instanceof JsonValue) {
                assertThat(Json.write((JsonValue) got)).isEqualTo(Json.write((JsonValue) want));
            }
        }
        assertThat(back.externalIds()).isEqualTo(e.externalIds());
        assertThat(back.issues()).isEqualTo(e.issues());
    }
}

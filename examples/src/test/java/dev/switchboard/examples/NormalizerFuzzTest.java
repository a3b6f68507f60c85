package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.FieldMappings;
import dev.switchboard.normalize.Normalizer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random JSON as the data of records of every stream of every bundled connector (found with
 * ServiceLoader, so every mapper on the class path is exercised) and of a table mapped by
 * configuration: the normalizer never throws in lenient mode, and keeps the record unchanged as
 * {@code raw()}; in strict mode it throws nothing but {@link SchemaDriftException}.
 */
class NormalizerFuzzTest {
    private static final String TABLE_CONNECTION = "fuzz-warehouse";

    /** Every kind of value, read from columns the generator also fills. */
    private static final String TABLE = """
      streams:
        customers:
          entity: person
          fields:
            - { from: email_address, to: email }
            - { from: full_name, to: name }
            - { from: phone_number, to: phone }
            - { from: signed_up_at, to: createdAt }
            - { from: kind, to: kind, codes: { cust: CONTACT, lead: LEAD } }
            - { from: company_id, to: organization, object: companies }
            - { from: crm_id, to: externalId, system: salesforce }
            - { from: arr, to: custom.arr, type: money, currencyFrom: currency }
            - { from: mrr, to: custom.mrr, type: money, currency: EUR }
            - { from: seats, to: custom.seats, type: integer }
            - { from: score, to: custom.score, type: number }
            - { from: active, to: custom.active, type: boolean }
            - { from: renewal, to: custom.renewal, type: date }
            - { from: plan, to: custom.plan, type: coded, codes: { ent: ENTERPRISE } }
            - { from: tags, to: custom.tags, type: json }
            - { from: profile.contact.email, to: custom.nested, type: email }
            - { from: signed_up_at, to: custom.signedUp, type: timestamp }
      """;

    private record Target(String connector, String stream, List<String> fields) {}

    private static final List<Target> TARGETS = targets();
    private static final Normalizer LENIENT = normalizer(false);
    private static final Normalizer STRICT = normalizer(true);

    private static List<Target> targets() {
        List<Target> out = new ArrayList<>();
        for (Connector c : ServiceLoader.load(Connector.class)) {
            for (StreamDescriptor s : c.descriptor().streams()) {
                out.add(new Target(
                        c.descriptor().id(),
                        s.name(),
                        s.schema().fields().stream().map(Schema.Field::name).toList()));
            }
        }
        assertThat(out).extracting(Target::connector).contains("salesforce", "hubspot", "slack");
        FieldMappings table = FieldMappings.parse(TABLE, FieldMappings.Format.YAML);
        List<String> columns = new ArrayList<>();
        table.stream("customers").orElseThrow().fields().forEach(f -> columns.add(f.source()));
        columns.add("currency");
        out.add(new Target("jdbc", "customers", columns));
        return List.copyOf(out);
    }

    private static Normalizer normalizer(boolean strict) {
        Normalizer.Builder b = Normalizer.builder()
                .strict(strict)
                .fieldMappings(TABLE_CONNECTION, FieldMappings.parse(TABLE, FieldMappings.Format.YAML));
        // An overlay on every connector stream: custom fields of several kinds over the mapper's output.
        for (String connector : List.of("salesforce", "hubspot", "slack")) {
            FieldMappings.Builder overlay = FieldMappings.builder();
            for (Target t : TARGETS.stream()
                    .filter(t -> t.connector().equals(connector))
                    .toList()) {
                List<String> f = t.fields().isEmpty() ? List.of("id") : t.fields();
                overlay.field(
                        t.stream(),
                        dev.switchboard.normalize.FieldMapping.custom(
                                f.get(0), "first", dev.switchboard.normalize.ValueKind.TEXT));
                overlay.field(
                        t.stream(),
                        dev.switchboard.normalize.FieldMapping.custom(
                                f.get(f.size() - 1), "last", dev.switchboard.normalize.ValueKind.TIMESTAMP));
                overlay.field(
                        t.stream(),
                        dev.switchboard.normalize.FieldMapping.custom(
                                        f.get(f.size() / 2), "middle", dev.switchboard.normalize.ValueKind.CODED)
                                .withCodes(Map.of("a", "A")));
                overlay.field(t.stream(), dev.switchboard.normalize.FieldMapping.externalId(f.get(0), "other"));
            }
            b.fieldMappings(connection(connector), overlay.build());
        }
        return b.build();
    }

    private static String connection(String connector) {
        return connector.equals("jdbc") ? TABLE_CONNECTION : "fuzz-" + connector;
    }

    @Property(tries = 1000)
    void lenientNeverThrowsAndKeepsTheRecord(@ForAll("records") Record record) {
        Entity entity = LENIENT.normalize(record);
        assertThat(entity.raw()).isEqualTo(record);
        assertThat(entity.raw().data()).isEqualTo(record.data());
        assertThat(entity.origin().sourceId()).isEqualTo(record.id());
    }

    @Property(tries = 1000)
    void strictThrowsNothingButSchemaDrift(@ForAll("records") Record record) {
        try {
            Entity entity = STRICT.normalize(record);
            assertThat(entity.issues()).isEmpty();
            assertThat(entity.raw()).isEqualTo(record);
        } catch (SchemaDriftException e) {
            assertThat(e.drifts()).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<Record> records() {
        return Arbitraries.of(TARGETS)
                .flatMap(t -> Combinators.combine(data(t), ids(), versions(), acls())
                        .as((data, id, version, acl) -> Record.builder().stream(t.stream())
                                .id(id)
                                .source(new RecordSource(t.connector(), connection(t.connector()), t.stream()))
                                .data(data)
                                .version(version)
                                .acl(acl)
                                .build()));
    }

    private static Arbitrary<JsonObject> data(Target t) {
        List<String> keys = new ArrayList<>(t.fields());
        keys.addAll(List.of("properties", "profile", "attributes", "Account", "associations", "id", "email", "ts"));
        Arbitrary<String> key = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(keys)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
        // Up to 12 fields a record: over the tries every schema field is hit, with every kind of value.
        return Arbitraries.maps(key, JSON).ofMaxSize(12).map(m -> JsonObject.of(new LinkedHashMap<>(m)));
    }

    private static final Arbitrary<JsonValue> JSON = json();

    private static Arbitrary<JsonValue> json() {
        return Arbitraries.recursive(
                NormalizerFuzzTest::leaf,
                inner -> Arbitraries.oneOf(
                        Arbitraries.maps(
                                        Arbitraries.of("email", "contact", "id", "name", "0", "value", "ts")
                                                .injectDuplicates(0.1)
                                                .edgeCases(e -> e.includeOnly("email")),
                                        inner)
                                .ofMaxSize(4)
                                .map(m -> (JsonValue) JsonObject.of(m)),
                        inner.list().ofMaxSize(4).map(l -> (JsonValue) JsonArray.of(l))),
                0,
                3);
    }

    private static Arbitrary<JsonValue> leaf() {
        Arbitrary<JsonValue> strings = Arbitraries.oneOf(
                        Arbitraries.of(
                                " Jane.Doe@Acme.COM ",
                                "a@b.co",
                                "not@",
                                "@x.com",
                                "x@@y.com",
                                "a@b",
                                "jane@acme..com",
                                "2024-05-01T10:12:33.000+0000",
                                "2024-05-01T10:12:33Z",
                                "2024-05-01",
                                "2024-13-45",
                                "1512085950.000216",
                                "1e400",
                                "-0",
                                "NaN",
                                "Infinity",
                                "12.5",
                                "250",
                                "\uff11\uff12\uff13",
                                "9".repeat(400),
                                "0x1F",
                                "true",
                                "FALSE",
                                "Gold",
                                "ent",
                                "cust",
                                "",
                                "   ",
                                "\u0000",
                                "\ud83d\ude00",
                                "\ud800",
                                "\u03a9\u2248\u00e7\u221a",
                                "+1 (415) 555-0100 ext 12",
                                "https://www.acme.com/x",
                                "USD",
                                "usd",
                                "XXX",
                                "HIGH",
                                "closedwon"),
                        Arbitraries.strings().ofMaxLength(40),
                        Arbitraries.strings().all().ofMaxLength(20))
                .map(JsonString::new);
        Arbitrary<JsonValue> numbers = Arbitraries.oneOf(
                Arbitraries.longs().map(JsonNumber::of),
                Combinators.combine(
                                Arbitraries.bigIntegers()
                                        .between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)),
                                Arbitraries.integers().between(-2000, 2000))
                        .as((unscaled, scale) -> new JsonNumber(new BigDecimal(unscaled, scale))),
                Arbitraries.of(
                                new BigDecimal("1E+999999"),
                                new BigDecimal("-1E-999999"),
                                new BigDecimal("1512085950.000216"),
                                new BigDecimal("1714550000123"),
                                BigDecimal.ZERO)
                        .map(JsonNumber::new));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, strings),
                net.jqwik.api.Tuple.of(3, numbers),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(JsonBoolean.of(true), JsonBoolean.of(false))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(JsonNull.INSTANCE)));
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(18),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(10));
    }

    private static Arbitrary<String> versions() {
        return Arbitraries.strings().ofMaxLength(30).injectNull(0.3);
    }

    private static Arbitrary<Acl> acls() {
        return Arbitraries.of(Acl.tenant("T1"), Acl.owned("u1", "T1")).injectNull(0.2);
    }
}

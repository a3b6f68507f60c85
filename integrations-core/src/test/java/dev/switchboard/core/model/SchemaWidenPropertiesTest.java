package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Schema.widen: the widened contract is kept by every record it was widened with, and by nothing more than needed. */
class SchemaWidenPropertiesTest {
    private static final List<String> NAMES = List.of("id", "name", "price", "status", "extra");

    @Provide
    Arbitrary<Schema> contracts() {
        Arbitrary<Schema.Field> field = Combinators.combine(
                        Arbitraries.of(NAMES),
                        Arbitraries.of(FieldType.class),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.of("a", "b", "c").set().ofMaxSize(2))
                .as(Schema.Field::new);
        return field.list().ofMaxSize(4).uniqueElements(Schema.Field::name).map(fields -> {
            Schema.Builder b = Schema.builder();
            fields.forEach(b::add);
            return b.build();
        });
    }

    @Provide
    Arbitrary<List<JsonObject>> records() {
        Arbitrary<JsonValue> value = Arbitraries.oneOf(
                Arbitraries.of("a", "b", "z", "2026-01-01").map(JsonString::new),
                Arbitraries.of(1L, 7L).map(JsonNumber::of),
                Arbitraries.just(new JsonNumber(new BigDecimal("2.5"))),
                Arbitraries.of(JsonBoolean.TRUE, JsonNull.INSTANCE),
                Arbitraries.just(Json.parse("{\"k\":[1]}")));
        Arbitrary<JsonObject> record =
                Arbitraries.maps(Arbitraries.of(NAMES), value).ofMaxSize(5).map(m -> Json.objectFrom(Map.copyOf(m)));
        return record.list().ofMaxSize(5);
    }

    @Property(tries = 1000)
    void everyRecordKeepsTheWidenedContract(
            @ForAll("contracts") Schema contract, @ForAll("records") List<JsonObject> records) {
        Schema widened = contract.widen(records);
        for (JsonObject record : records) {
            assertThat(widened.check(record))
                    .as("record %s against %s", record, widened)
                    .isEmpty();
        }
        // it only widens: every promised field is still there
        assertThat(widened.fields())
                .extracting(Schema.Field::name)
                .containsAll(contract.fields().stream().map(Schema.Field::name).toList());
    }

    @Property(tries = 1000)
    void recordsThatKeepTheContractLeaveItUnchanged(
            @ForAll("contracts") Schema contract, @ForAll("records") List<JsonObject> records) {
        List<JsonObject> keeping =
                records.stream().filter(r -> contract.check(r).isEmpty()).toList();
        assertThat(contract.widen(keeping)).isEqualTo(contract);
    }

    @Provide
    Arbitrary<Schema> nestedContracts() {
        return Contracts.schemas(
                Arbitraries.of(NAMES), Arbitraries.of("a", "b", "c").set().ofMaxSize(2), 2);
    }

    @Property(tries = 500)
    void everyRecordKeepsTheWidenedNestedContract(@ForAll("nestedContracts") Schema contract, @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<JsonObject> records = new java.util.ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            records.add(Contracts.stray(Contracts.keeping(contract, random), random));
        }
        Schema widened = contract.widen(records);
        for (JsonObject record : records) {
            assertThat(widened.check(record))
                    .as("record %s against %s", record, widened)
                    .isEmpty();
        }
        List<JsonObject> keeping =
                records.stream().filter(r -> contract.check(r).isEmpty()).toList();
        assertThat(contract.widen(keeping)).isEqualTo(contract);
    }

    @Example
    void eachKindOfDriftIsWidenedAway() {
        Schema contract = Schema.builder()
                .required("id", FieldType.STRING)
                .required("name", FieldType.STRING)
                .required("price", FieldType.INTEGER)
                .optionalEnum("status", List.of("active"))
                .build();
        List<JsonObject> records = List.of(
                (JsonObject) Json.parse(
                        "{\"id\":\"1\",\"name\":null,\"price\":2.5,\"status\":\"recalled\",\"colour\":\"red\"}"),
                (JsonObject) Json.parse("{\"id\":\"2\",\"price\":3,\"status\":\"active\"}"));

        assertThat(contract.widen(records))
                .isEqualTo(Schema.builder()
                        .required("id", FieldType.STRING)
                        .add(new Schema.Field("name", FieldType.STRING, true, false))
                        .add(new Schema.Field("price", FieldType.NUMBER, false, true))
                        .add(new Schema.Field(
                                "status", FieldType.STRING, true, false, java.util.Set.of("active", "recalled")))
                        .add(new Schema.Field("colour", FieldType.STRING, true, false))
                        .build());
    }
}

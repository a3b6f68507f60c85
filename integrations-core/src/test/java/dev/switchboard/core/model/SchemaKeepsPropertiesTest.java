package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The drift check's shortcut never hides a drift: a value it passes is one the full check finds nothing in. */
class SchemaKeepsPropertiesTest {
    @Provide
    Arbitrary<Schema> contracts() {
        return Contracts.schemas(
                Arbitraries.of(Contracts.NAMES), Arbitraries.of(Set.<String>of(), Set.of("a"), Set.of("a", "b")), 2);
    }

    /** Values of every JSON type, numbers with every kind of scale (1, 1.0, 1E+2, 2.5), containers nested. */
    private static JsonValue value(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> new JsonNumber(BigDecimal.valueOf(random.nextInt(2001) - 1000, random.nextInt(7) - 3));
            case 1 -> {
                List<JsonValue> elements = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    elements.add(value(random));
                }
                yield JsonArray.of(elements);
            }
            default -> Contracts.any(random, 2);
        };
    }

    @Property(tries = 2_000)
    void aValueTheShortcutPassesHasNoDrift(@ForAll("contracts") Schema contract, @ForAll long seed) {
        Random random = new Random(seed);
        for (Schema.Field field : contract.fields()) {
            for (int i = 0; i < 20; i++) {
                JsonValue value = random.nextBoolean() ? value(random) : keepingValue(contract, field, random);
                if (Schema.keeps(field, value)) {
                    List<Drift> drifts = new ArrayList<>();
                    Schema.checkValue(field, field.name(), value, drifts);
                    assertThat(drifts).as("%s for %s", value, field).isEmpty();
                }
            }
        }
    }

    /**
     * {@link Schema#check}, with its per-field type bits and its lookup by position, finds exactly the drifts the
     * general check finds (every field looked up by name and checked in full), on records in the contract's
     * order and shuffled, with fields missing, added and replaced by values of any type.
     */
    @Property(tries = 2_000)
    void theCheckFindsWhatTheGeneralCheckFinds(@ForAll("contracts") Schema contract, @ForAll long seed) {
        Random random = new Random(seed);
        for (int r = 0; r < 10; r++) {
            List<String> names = new ArrayList<>();
            List<JsonValue> values = new ArrayList<>();
            Contracts.keeping(contract, random).fields().forEach((name, value) -> {
                if (random.nextInt(6) != 0) { // now and then a field is missing
                    names.add(name);
                    values.add(random.nextInt(4) == 0 ? value(random) : value);
                }
            });
            if (random.nextInt(3) == 0) {
                names.add("added" + random.nextInt(3));
                values.add(value(random));
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                order.add(i);
            }
            if (random.nextBoolean()) {
                java.util.Collections.shuffle(order, random);
            }
            JsonObject.Builder b = JsonObject.builder();
            for (int i : order) {
                b.put(names.get(i), values.get(i));
            }
            JsonObject record = b.build();
            assertThat(contract.check(record))
                    .as("%s against %s", record, contract)
                    .isEqualTo(generalCheck(contract, record));
        }
    }

    /** The check without shortcuts: each promised field by name, in full; then the fields not promised. */
    private static List<Drift> generalCheck(Schema contract, JsonObject record) {
        List<Drift> drifts = new ArrayList<>();
        for (Schema.Field field : contract.fields()) {
            JsonValue value = record.get(field.name());
            if (value == null) {
                if (field.required()) {
                    drifts.add(new Drift(field.name(), Drift.Kind.MISSING, field.shape(), null));
                }
            } else {
                Schema.checkValue(field, field.name(), value, drifts);
            }
        }
        record.fields().forEach((name, value) -> {
            if (contract.fields().stream().noneMatch(f -> f.name().equals(name))) {
                drifts.add(new Drift(
                        name, Drift.Kind.ADDED, null, FieldType.of(value).name()));
            }
        });
        return drifts;
    }

    /** A value made to keep the field (so the shortcut's positive answers are exercised too). */
    private static JsonValue keepingValue(Schema contract, Schema.Field field, Random random) {
        JsonObject record = Contracts.keeping(contract, random);
        JsonValue value = record.get(field.name());
        return value != null ? value : value(random);
    }
}

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

    /** A value made to keep the field (so the shortcut's positive answers are exercised too). */
    private static JsonValue keepingValue(Schema contract, Schema.Field field, Random random) {
        JsonObject record = Contracts.keeping(contract, random);
        JsonValue value = record.get(field.name());
        return value != null ? value : value(random);
    }
}
